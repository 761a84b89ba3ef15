"""The console's CRM pages of a patient: the patient 360 page, staff patient search by
name, phone, tag or last visit, manual tags, and the managers' tag definitions."""

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yachi.booking import facade as booking
from yachi.clinical import facade as clinical
from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import DomainError, PermissionDenied
from yachi.core.pages import staff_required
from yachi.crm.campaigns import selectors as campaigns
from yachi.crm.feedback import selectors as feedback
from yachi.crm.tags import selectors, services
from yachi.crm.tags.models import TagKind
from yachi.messaging import facade as messaging
from yachi.patients import facade as patients
from yachi.payments import facade as payments

MESSAGES_SHOWN = 10
VISITS_SHOWN = 50
SEARCH_SHOWN = 50
# The next recommended care after a treatment: (service code, days, what to suggest).
RECALLS = (
    ("cleaning", 180, gettext_lazy("Cleaning recall (every 6 months)")),
    ("implant", 365, gettext_lazy("Implant maintenance (yearly)")),
    ("orthodontics", 30, gettext_lazy("Orthodontic check (monthly)")),
    ("periodontal", 90, gettext_lazy("Periodontal maintenance (every 3 months)")),
)
SEEN = {"arrived", "in_treatment", "completed"}
# The thresholds' names on the definitions page.
THRESHOLD_LABELS = {
    "min_yuan": gettext_lazy("at least (yuan)"),
    "top_percent": gettext_lazy("within the top (%)"),
    "min_score": gettext_lazy("lowest score"),
    "max_recency_score": gettext_lazy("recency score at most"),
    "discount_share_percent": gettext_lazy("coupon share of list price (%)"),
    "coupon_only_min": gettext_lazy("coupon-only purchases, at least"),
    "low_score": gettext_lazy("low score at most"),
    "months": gettext_lazy("months looked back"),
    "days_overdue": gettext_lazy("days overdue"),
    "min_complaints": gettext_lazy("complaints, at least"),
    "min_no_shows": gettext_lazy("no-shows, at least"),
    "min_rate_percent": gettext_lazy("no-show rate at least (%)"),
}


def _day(value: str) -> date | None:
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if date(1990, 1, 1) <= day <= date(2200, 1, 1) else None


@staff_required
def patient_search(request):
    """By name, mobile number or chart number (ADR 0022's tokens), narrowed by a tag and
    by the last visit's date; or, with no term, the patients carrying a tag."""
    term = request.GET.get("q", "").strip()[:64]
    code = request.GET.get("tag", "").strip()[:32]
    after, before = _day(request.GET.get("after", "")), _day(request.GET.get("before", ""))
    asked = bool(term or code or after or before)
    found = []
    if term:
        found = patients.patients_search(actor=request.user, term=term)
    elif code:
        ids = selectors.patients_with_tag(code=code)
        mine = clinics.staff_clinic_ids(request.user)
        seen = booking.patients_seen_at(patient_ids=list(ids), clinic_ids=mine)
        found = sorted(patients.patients_by_ids(seen).values(), key=lambda p: p.pk)
    ids = [p.pk for p in found]
    if code and term:
        carrying = selectors.patients_with_tag(code=code, patient_ids=ids)
        found = [p for p in found if p.pk in carrying]
    last = booking.last_visits(patient_ids=[p.pk for p in found]) if found else {}
    if after:
        found = [p for p in found if last.get(p.pk) and last[p.pk] >= after]
    if before:
        found = [p for p in found if last.get(p.pk) and last[p.pk] <= before]
    found = found[:SEARCH_SHOWN]
    tags = selectors.tags_of_patients([p.pk for p in found])
    return render(
        request,
        "crm/console/search.html",
        {
            "term": term,
            "code": code,
            "after": request.GET.get("after", ""),
            "before": request.GET.get("before", ""),
            "asked": asked,
            "rows": [(p, last.get(p.pk), tags.get(p.pk, [])) for p in found],
            "definitions": [d for d in selectors.definitions() if d.active],
            "section": "crm_patients",
        },
    )


def recommended_care(visits, today: date) -> list[dict]:
    """The recalls the patient is due for: per kind of treatment, the last one completed
    and when its recall falls, unless a visit for it is already booked. The procedures
    still to do on their treatment plans are listed beside them."""
    booked = {v.service.code for v in visits if v.status in ("pending", "booked")}
    due = []
    for code, days, what in RECALLS:
        done = [v for v in visits if v.status == "completed" and v.service.code.startswith(code)]
        if not done or any(b.startswith(code) for b in booked):
            continue
        last = max(done, key=lambda v: v.start)
        on = timezone.localtime(last.start).date() + timedelta(days=days)
        due.append({"what": what, "last": last, "due": on, "overdue": on <= today, "code": code})
    return sorted(due, key=lambda item: item["due"])


@staff_required
def patient_360(request, patient_id):
    patient, clinic_ids = patients.desk_access(actor=request.user, patient_id=patient_id)
    owner = patient.account.owner
    now = timezone.now()
    visits = [
        visit
        for visit in booking.appointments_of_patient(patient_id=patient.pk, limit=VISITS_SHOWN)
        if clinic_ids is None or visit.clinic_id in clinic_ids
    ]
    bills = payments.bills_of_appointments([v.pk for v in visits])
    surveys = feedback.surveys_of_appointments([v.pk for v in visits])
    audit_record(
        action=AuditAction.PATIENT_360_READ,
        actor=request.user,
        object_type="patient",
        object_id=patient.public_id,
        clinic=visits[0].clinic if visits else "",
    )
    past = [v for v in visits if v.start < now]
    spent = sum(
        bill.amount_fen - bill.refunded_fen
        for visit_bills in bills.values()
        for bill in visit_bills
        if bill.paid_at is not None
    )
    refunded = sum(bill.refunded_fen for visit_bills in bills.values() for bill in visit_bills)
    manual = [d for d in selectors.definitions() if d.kind == TagKind.MANUAL and d.active]
    return render(
        request,
        "crm/console/patient.html",
        {
            "patient": patient,
            "holder_phone": owner.phone,
            "family": patients.everyone_on(patient.account),
            "upcoming": sorted((v for v in visits if v.start >= now), key=lambda v: v.start),
            "past": [(v, bills.get(v.pk, []), surveys.get(v.pk)) for v in past],
            "spent_fen": spent,
            "refunded_fen": refunded,
            "parts": patients.desk_parts(user=owner, clinic_ids=clinic_ids),
            "notifications": messaging.notifications_of(user=owner, limit=MESSAGES_SHOWN),
            "conversations": messaging.conversations_of_patient(
                patient_id=patient.pk, clinic_ids=clinic_ids, limit=MESSAGES_SHOWN
            ),
            "campaigns": campaigns.campaigns_of_patient(
                patient_id=patient.pk, clinic_ids=clinic_ids, limit=MESSAGES_SHOWN
            ),
            "recall_rules": RECALLS,
            "consents": patients.consent_states(account=patient.account),
            "tags": selectors.tags_of_patient(patient.pk),
            "manual_definitions": manual,
            "complaints": feedback.complaints_of_patient(patient.pk, clinic_ids),
            "recalls": recommended_care(visits, timezone.localdate()),
            "plan_items": clinical.open_plan_items(patient_id=patient.pk, clinic_ids=clinic_ids),
            "may_open_chart": clinics.anywhere(request.user, clinics.Duty.TREAT),
            "section": "crm_patients",
        },
    )


@staff_required
@require_POST
def patient_tag_change(request, patient_id):
    patient, _clinic_ids = patients.desk_access(actor=request.user, patient_id=patient_id)
    code = request.POST.get("code", "")
    try:
        if request.POST.get("action") == "remove":
            services.manual_tag_remove(actor=request.user, patient=patient, code=code)
            messages.success(request, _("Tag removed."))
        else:
            services.manual_tag_add(
                actor=request.user, patient=patient, code=code, note=request.POST.get("note", "")
            )
            messages.success(request, _("Tag added."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("console:crm_patient", patient.public_id)


def _thresholds(request, code: str) -> dict:
    values = {}
    for key in request.POST:
        if key.startswith("threshold_"):
            name = key.removeprefix("threshold_")
            raw = request.POST.get(key, "").strip()
            try:
                values[name] = int(raw)
            except ValueError as exc:
                raise DomainError(
                    _("Thresholds must be whole numbers this rule knows."),
                    code="thresholds_invalid",
                ) from exc
    return values


@staff_required
def definitions_page(request):
    if not clinics.anywhere(request.user, clinics.Duty.MANAGE):
        raise PermissionDenied(_("Tags are defined by managers."), code="manage_forbidden")
    services.definitions_ensure()
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            services.definition_save(
                actor=request.user,
                code=code,
                label_zh=request.POST.get("label_zh", ""),
                label_en=request.POST.get("label_en", ""),
                kind=request.POST.get("kind", TagKind.MANUAL),
                thresholds=_thresholds(request, code),
                active=request.POST.get("active") == "on",
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = exc.status
        else:
            messages.success(request, _("Tag saved."))
            return redirect("console:crm_tags")
    return render(
        request,
        "crm/console/definitions.html",
        {
            "definitions": [
                (
                    d,
                    [
                        (key, THRESHOLD_LABELS.get(key, key), value)
                        for key, value in d.thresholds.items()
                    ],
                )
                for d in selectors.definitions()
            ],
            "section": "crm_tags",
        },
        status=status,
    )
