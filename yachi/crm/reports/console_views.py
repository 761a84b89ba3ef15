"""经营报表 in the console (ADR 0053): the dashboard (its figures load into the page
behind an indicator), the list behind each figure, and exports of both as CSV or XLSX.
Lists and exports open patients' names and numbers: each is audited."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import DomainError
from yachi.core.pages import htmx_partial, staff_required
from yachi.core.roles import ChainRole
from yachi.crm.reports import exports
from yachi.crm.reports.access import Scope, report_scope
from yachi.crm.reports.charts import charts_of
from yachi.crm.reports.drill import rows_behind, table
from yachi.crm.reports.figures import Dashboard, dashboard

PAGE_SIZE = 100


def _scope(request, mine=None, chain=None) -> Scope:
    """The scope the query string asks for; without a clinic named, the person's first
    clinic, or the whole chain for a chain role."""
    if mine is None:
        mine, chain = _choices(request.user)
    clinic_id = request.GET.get("clinic_id")
    if clinic_id is None and not chain and mine:
        clinic_id = str(mine[0].public_id)
    return report_scope(
        actor=request.user,
        clinic_id=clinic_id or None,
        date_from=request.GET.get("date_from"),
        date_to=request.GET.get("date_to"),
    )


def _choices(user) -> tuple[list, bool]:
    """The clinics the person may pick, and whether 全部诊所 is one of the choices."""
    known = clinics.standing(user)
    where = known.clinics_where(clinics.Duty.MANAGE)
    mine = [c for c in clinics.active_clinics() if where is None or c.pk in where]
    chain = known.everywhere or bool(known.held & set(ChainRole.values))
    return mine, chain


def _refused(request, error: DomainError, status: int | None = None):
    return render(
        request,
        "crm/console/reports/refused.html",
        {"message": error.message, "section": "reports"},
        status=status or error.status,
    )


def _query(scope: Scope) -> str:
    """The scope as a query string, for the links to lists and exports."""
    return urlencode(
        {
            "clinic_id": scope.clinic_public_id,
            "date_from": scope.first_day.isoformat(),
            "date_to": scope.last_day.isoformat(),
        }
    )


def _sections(board: Dashboard) -> dict:
    charts = charts_of(board)
    sections = [
        ("service", _("Revenue by service"), _("Service")),
        ("doctor", _("Revenue by doctor"), _("Doctor")),
        ("clinic", _("Revenue by clinic"), _("Clinic")),
        ("channel", _("Revenue by channel"), _("Channel")),
    ]
    if not board.scope.chain_wide:
        sections = [s for s in sections if s[0] != "clinic"]
    return {
        "charts": charts,
        "revenue_sections": [
            (key, title, head, board.revenue_by[key], charts[f"revenue_{key}"])
            for key, title, head in sections
        ],
    }


@staff_required
def dashboard_page(request):
    mine, chain = _choices(request.user)
    try:
        scope = _scope(request, mine, chain)
    except DomainError as error:
        return _refused(request, error)
    context = {
        "scope": scope,
        "query": _query(scope),
        "choices": mine,
        "chain": chain,
        "section": "reports",
    }
    if request.GET.get("figures") or getattr(request, "htmx", None):
        board = dashboard(scope)
        context.update(board=board, **_sections(board))
        return render(
            request,
            htmx_partial(
                request, "crm/partials/reports_figures.html", "crm/console/reports/dashboard.html"
            ),
            context,
        )
    return render(request, "crm/console/reports/dashboard.html", context)


def _audit(request, scope: Scope, action: str, figure: str, count: int, fmt: str = "") -> None:
    audit_record(
        action=action,
        actor=request.user,
        object_type="crm_report",
        object_id=figure[:64],
        clinic=None if scope.chain_wide else scope.clinic_public_id,
        details={
            "figure": figure,
            "clinics": [c.public_id for c in scope.clinics],
            "date_from": scope.first_day.isoformat(),
            "date_to": scope.last_day.isoformat(),
            "rows": count,
            "phones": "full" if scope.full_phones else "masked",
            **({"format": fmt} if fmt else {}),
        },
    )


@staff_required
def figure_page(request):
    figure = request.GET.get("figure", "")
    try:
        scope = _scope(request)
        if not figure:
            return redirect(f"{reverse('console:reports')}?{_query(scope)}")
        board = dashboard(scope)
        rows = rows_behind(board, figure)
    except DomainError as error:
        return _refused(request, error)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = table(board, figure, list(page.object_list), total=len(rows))
    _audit(request, scope, AuditAction.REPORT_LIST_READ, figure, len(page.object_list))
    return render(
        request,
        "crm/console/reports/figure.html",
        {
            "scope": scope,
            "query": _query(scope),
            "figure": figure,
            "table": shown,
            "page": page,
            "section": "reports",
        },
    )


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def _summary_rows(board: Dashboard) -> tuple[list, list]:
    s = board.summary
    headers = [_("Figure"), _("Value")]
    rows = [
        [_("Revenue (yuan)"), f"{s['revenue_fen'] / 100:.2f}"],
        [_("Received (yuan)"), f"{s['paid_fen'] / 100:.2f}"],
        [_("Refunds (yuan)"), f"{s['refunds_fen'] / 100:.2f}"],
        [_("Completed visits"), s["visits"]],
        [_("Appointments"), s["appointments"]],
        [_("New patients"), s["new_patients"]],
        [_("Returning patients"), s["returning_patients"]],
        [_("No-show rate"), s["no_show_rate"] if s["no_show_rate"] is not None else "—"],
        [
            _("Cancellation rate"),
            s["cancellation_rate"] if s["cancellation_rate"] is not None else "—",
        ],
        [
            _("Chair utilisation"),
            s["chair_utilisation"] if s["chair_utilisation"] is not None else "—",
        ],
        [
            _("Doctor utilisation"),
            s["doctor_utilisation"] if s["doctor_utilisation"] is not None else "—",
        ],
        [
            _("Average wait (minutes)"),
            s["average_wait_minutes"] if s["average_wait_minutes"] is not None else "—",
        ],
        [_("Coupons issued"), s["coupons_issued"]],
        [_("Coupons used"), s["coupons_redeemed"]],
        [_("NPS"), s["nps"] if s["nps"] is not None else "—"],
    ]
    for dimension, label in (
        ("service", _("Revenue by service")),
        ("doctor", _("Revenue by doctor")),
        ("clinic", _("Revenue by clinic")),
        ("channel", _("Revenue by channel")),
    ):
        for _key, name, fen in board.revenue_by[dimension].rows:
            rows.append([f"{label} · {name}", f"{fen / 100:.2f}"])
    for item in board.repurchase:
        rows.append(
            [f"{_('Repurchase rate')} · {item.label}", item.rate if item.rate is not None else "—"]
        )
    return headers, rows


def _export(request, fmt: str):
    figure = request.GET.get("figure", "")
    try:
        scope = _scope(request)
        board = dashboard(scope)
        if figure:
            rows = rows_behind(board, figure)
            shown = table(board, figure, rows, total=len(rows))
            headers, body, title = shown.headers, shown.rows, shown.title
        else:
            headers, body = _summary_rows(board)
            title = _("Dashboard")
    except DomainError as error:
        return _refused(request, error)
    _audit(request, scope, AuditAction.REPORT_EXPORTED, figure or "summary", len(body), fmt)
    stamp = timezone.now().astimezone(scope.zone).strftime("%Y%m%d")
    name = f"report-{(figure or 'summary').replace(':', '-')[:40]}-{stamp}"
    return _download(exports.export(fmt, title, headers, body), fmt, name)


@staff_required
def export_csv(request):
    return _export(request, "csv")


@staff_required
def export_xlsx(request):
    return _export(request, "xlsx")


console_patterns = [
    path("reports/", dashboard_page, name="reports"),
    path("reports/list/", figure_page, name="report_figure"),
    path("reports/export.csv", export_csv, name="report_export_csv"),
    path("reports/export.xlsx", export_xlsx, name="report_export_xlsx"),
]
