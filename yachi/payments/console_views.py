"""The front desk's till: bills, cash and card, refunds; reconciliation for managers."""

from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from yachi.accounts import facade as accounts
from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError, InvalidInput, PermissionDenied
from yachi.core.money import exact_fen, format_yuan
from yachi.core.pages import staff_required
from yachi.payments import approvals, bills, receipts, reconciliation, selectors, services
from yachi.payments.access import access_payment_by_id
from yachi.payments.choices import FindingKind, IntentStatus, Method, RefundStatus
from yachi.payments.errors import AmountChanged
from yachi.payments.forms import BillLineForm, BillLineRemovalForm, first_error
from yachi.payments.receipts import receipt_css
from yachi.payments.reconciliation import SERIOUS, reconciliation_methods


def _till(user, clinic) -> None:
    """The till of a clinic is its front desk's and its managers'."""
    clinics.require(
        user, clinic, clinics.Duty.DESK, _("Payments are handled by the front desk and managers.")
    )


def _fen(raw: str) -> int:
    fen = exact_fen(raw)
    if fen is None or fen <= 0:
        raise InvalidInput(_("Enter the amount in yuan, e.g. 199.00."))
    return fen


@staff_required
def payments_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    _till(request.user, clinic)
    status = request.GET.get("status", "")
    intents = selectors.clinic_payments(clinic=clinic, status=status)
    page = Paginator(intents, 50).get_page(request.GET.get("page"))
    services_here = clinics.clinic_billable_services(clinic=clinic)
    form = {"phone": "", "amount": "", "description": "", "service": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            payer = accounts.patient_user_by_phone(form["phone"])
            if payer is None:
                raise InvalidInput(_("No patient account has this phone number."))
            service = next((s for s in services_here if str(s.public_id) == form["service"]), None)
            intent = bills.bill_create(
                actor=request.user,
                clinic=clinic,
                payer=payer,
                amount_fen=_fen(form["amount"]),
                description=form["description"][:120],
                service=service,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Bill created. The patient can pay it in the app or here."))
            return redirect("console:payment", payment_id=intent.public_id)
    return render(
        request,
        "payments/console/list.html",
        dict(
            clinic=clinic,
            page=page,
            status=status,
            statuses=IntentStatus.choices,
            form=form,
            services=services_here,
            awaiting=approvals.refunds_awaiting(clinic=clinic).count(),
            may_approve=approvals.may_approve_refund(user=request.user, clinic=clinic),
            section="payments",
        ),
    )


@staff_required
def payment_page(request, payment_id):
    intent = access_payment_by_id(actor=request.user, payment_id=payment_id)
    _till(request.user, intent.clinic_id)
    history = selectors.payment_history(intent=intent)
    bill = bills.bill_of(intent)
    editable = bill is not None and intent.status == IntentStatus.CREATED and not intent.method
    return render(
        request,
        "payments/console/detail.html",
        dict(
            clinic=intent.clinic,
            intent=intent,
            entries=history.entries,
            refunds=history.refunds,
            callbacks=history.callbacks,
            balance=history.balance_fen,
            bill=bill,
            documents=receipts.payment_documents(intent),
            lines=bills.bill_lines(bill) if bill is not None else [],
            catalogue=_catalogue(intent) if editable else None,
            editable=editable,
            coupons=bills.bill_coupons(intent=intent),
            section="payments",
        ),
    )


def _catalogue(intent) -> dict:
    """What a line may charge at the bill's clinic: its treatments and its materials."""
    return {
        "services": clinics.clinic_billable_services(clinic=intent.clinic),
        "materials": clinics.clinic_billable_materials(clinic=intent.clinic),
    }


@staff_required
@require_POST
def payment_line_add(request, payment_id):
    """The desk adds a treatment or a material to an unpaid bill (收费明细)."""
    intent = access_payment_by_id(actor=request.user, payment_id=payment_id)
    _till(request.user, intent.clinic_id)
    form = BillLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("console:payment", payment_id=intent.public_id)
    kind, code = form.kind_and_code()
    try:
        line = bills.bill_line_add(
            actor=request.user,
            intent=intent,
            kind=kind,
            item_code=code,
            quantity=form.cleaned_data["quantity"],
            unit_fen=form.cleaned_data["unit_price"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Added: %(item)s × %(quantity)s.")
            % {"item": line.description, "quantity": line.quantity},
        )
    return redirect("console:payment", payment_id=intent.public_id)


@staff_required
@require_POST
def payment_line_remove(request, payment_id):
    """The desk takes a line off an unpaid bill."""
    intent = access_payment_by_id(actor=request.user, payment_id=payment_id)
    _till(request.user, intent.clinic_id)
    form = BillLineRemovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("console:payment", payment_id=intent.public_id)
    try:
        bills.bill_line_remove(
            actor=request.user, intent=intent, position=form.cleaned_data["position"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Line removed from the bill."))
    return redirect("console:payment", payment_id=intent.public_id)


@staff_required
@require_POST
def payment_take(request, payment_id):
    intent = access_payment_by_id(actor=request.user, payment_id=payment_id)
    _till(request.user, intent.clinic_id)
    method = request.POST.get("method", "")
    try:
        # The amount the page showed: a line added meanwhile changes what is due.
        seen = request.POST.get("amount", "").strip()
        if seen and exact_fen(seen) != intent.amount_fen:
            raise AmountChanged()
        tendered = None
        if method == Method.CASH:
            tendered = exact_fen(request.POST.get("tendered", "").strip())
            if tendered is None or tendered <= 0:
                raise InvalidInput(_("Enter the cash received in yuan, e.g. 200.00."))
        services.desk_payment_record(
            actor=request.user, intent=intent, method=method, tendered_fen=tendered
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = _("Payment of %(amount)s recorded.") % {"amount": format_yuan(intent.amount_fen)}
        if tendered is not None:
            done += " " + _("Received %(tendered)s, change %(change)s.") % {
                "tendered": format_yuan(tendered),
                "change": format_yuan(tendered - intent.amount_fen),
            }
        messages.success(request, done)
    return redirect("console:payment", payment_id=intent.public_id)


@staff_required
@require_POST
def payment_refund(request, payment_id):
    intent = access_payment_by_id(actor=request.user, payment_id=payment_id)
    _till(request.user, intent.clinic_id)
    try:
        reason = request.POST.get("reason", "").strip()
        if not reason:
            raise InvalidInput(_("Give a reason for the refund."))
        refund = approvals.refund_ask(
            actor=request.user,
            intent=intent,
            amount_fen=_fen(request.POST.get("amount", "")),
            reason=reason,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if refund.status == RefundStatus.AWAITING_APPROVAL:
            messages.success(
                request,
                _("A refund of more than %(limit)s waits for a manager's approval.")
                % {"limit": format_yuan(settings.YACHI_REFUND_APPROVAL_ABOVE_FEN)},
            )
        else:
            messages.success(request, _("Refund started."))
    return redirect("console:payment", payment_id=intent.public_id)


@staff_required
def refund_approvals_page(request, clinic_id):
    """Refunds of the clinic above the limit, waiting for a manager."""
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    if not approvals.may_approve_refund(user=request.user, clinic=clinic):
        raise PermissionDenied(_("Large refunds are approved by a manager of the clinic."))
    return render(
        request,
        "payments/console/refund_approvals.html",
        dict(
            clinic=clinic,
            refunds=approvals.refunds_awaiting(clinic=clinic),
            limit_fen=settings.YACHI_REFUND_APPROVAL_ABOVE_FEN,
            section="payments",
        ),
    )


@staff_required
@require_POST
def refund_decide(request, refund_id, decision):
    if decision not in ("approve", "reject"):
        raise Http404
    refund = approvals.access_awaiting_refund(actor=request.user, refund_id=refund_id)
    try:
        if decision == "approve":
            approvals.refund_approve(actor=request.user, refund=refund)
            messages.success(
                request,
                _("Refund of %(amount)s approved.") % {"amount": format_yuan(refund.amount_fen)},
            )
        else:
            approvals.refund_reject(actor=request.user, refund=refund)
            messages.success(request, _("Refund not approved; the amount can be refunded again."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("console:refund_approvals", clinic_id=refund.intent.clinic.public_id)


def _reconciler(user) -> None:
    # The providers' days are the chain's: whoever manages one of its clinics reads them.
    clinics.require_anywhere(user, clinics.Duty.MANAGE, _("Reconciliation is for managers."))


def _go(request, url: str):
    """After a run: a plain redirect, or htmx's own (the page's progress indicator stays
    up until the next page loads)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@staff_required
def reconciliation_page(request):
    _reconciler(request.user)
    methods = dict(Method.choices)
    available = reconciliation_methods()
    yesterday = timezone.localdate() - timedelta(days=1)
    chosen = request.GET.get("provider", "")
    return render(
        request,
        "payments/console/reconciliation.html",
        dict(
            runs=selectors.reconciliation_runs(),
            methods=methods,
            available=[(m, methods[m]) for m in available],
            chosen=chosen if chosen in available else (available[0] if available else ""),
            day=request.GET.get("day", "") or yesterday.isoformat(),
            latest_day=yesterday.isoformat(),
            simulator_only=available == [Method.SIMULATOR],
            section="reconciliation",
        ),
    )


@staff_required
@require_POST
def reconciliation_run(request):
    """立即对账: download the statement now, compare, show the run."""
    _reconciler(request.user)
    method = request.POST.get("provider", "")
    raw_day = request.POST.get("day", "").strip()
    back = reverse("console:reconciliation") + "?" + urlencode({"provider": method, "day": raw_day})
    try:
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            raise InvalidInput(_("Choose the day to reconcile.")) from None
        run = reconciliation.reconcile_now(day=day, method=method, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _go(request, back)
    if run.findings:
        messages.warning(
            request,
            ngettext(
                "Reconciled: %(n)s difference to look into.",
                "Reconciled: %(n)s differences to look into.",
                len(run.findings),
            )
            % {"n": len(run.findings)},
        )
    else:
        messages.success(request, _("Reconciled: the statement and our ledger agree."))
    return _go(request, reverse("console:reconciliation_detail", args=[run.public_id]))


def _moment(text):
    try:
        return datetime.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


@staff_required
def reconciliation_detail(request, run_id):
    _reconciler(request.user)
    run = selectors.reconciliation_run_by_id(run_id)
    kinds = dict(FindingKind.choices)
    findings = sorted(
        (
            f
            | {
                "label": kinds.get(f.get("kind"), f.get("kind", "")),
                "serious": f.get("kind") in SERIOUS,
                "moment": _moment(f.get("at")),
            }
            for f in run.findings
        ),
        key=lambda f: not f["serious"],
    )
    return render(
        request,
        "payments/console/reconciliation_run.html",
        dict(
            run=run,
            findings=findings,
            methods=dict(Method.choices),
            difference_fen=run.statement_fen - run.ledger_fen,
            section="reconciliation",
        ),
    )


@staff_required
def payment_receipt(request, payment_id):
    """The receipt of a paid payment, printed at the desk (the same sheet the app shows)."""
    intent = access_payment_by_id(actor=request.user, payment_id=payment_id)
    _till(request.user, intent.clinic_id)
    receipt = receipts.receipt_of(intent)
    return render(
        request,
        "payments/receipt_file.html",
        {"receipt": receipt, "css": receipt_css(), "print": True},
    )


@staff_required
@require_POST
def payment_coupon(request, payment_id):
    """The desk takes the patient's coupon (洁牙7折) off a bill, as the patient can in the app."""
    intent = access_payment_by_id(actor=request.user, payment_id=payment_id)
    _till(request.user, intent.clinic_id)
    try:
        bills.bill_apply_coupon(
            actor=request.user, intent=intent, coupon_id=request.POST.get("coupon", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Coupon used on the bill."))
    return redirect("console:payment", payment_id=intent.public_id)
