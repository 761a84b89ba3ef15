"""Instalment plans: quoting, the patient's two agreements and the application, the
partner's decision and disbursement, repayments, reminders and arrears (ADR 0066).

Every write is one transaction; a staff member's quote and every state change are in the
audit trail; messages go out after commit.
"""

import json
import secrets
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yachi.clinical import facade as clinical
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yachi.core.models import as_public_id
from yachi.financing import amortisation, products
from yachi.financing.choices import InstalmentStatus, PlanStatus
from yachi.financing.errors import Unauthorized
from yachi.financing.models import Instalment, InstalmentPlan, PartnerEvent
from yachi.financing.partners import client as partner
from yachi.financing.signing import BadSignature, verify
from yachi.messaging import facade as messaging

QUOTE_LIFETIME = timedelta(days=7)
REMIND_DAYS_BEFORE = 3
# Plans a patient may finance: accepted or under way, never a draft or a cancelled one.
FINANCEABLE = ("proposed", "accepted", "in_progress")

TERMS_WORDS = gettext_lazy(
    "I have read the schedule above, its annual rate and its total cost, and agree to "
    "repay the financing partner in these instalments on their due dates."
)
SHARING_WORDS = gettext_lazy(
    "I agree that the clinic shares my name, phone number, this treatment plan's total and "
    "the schedule with the financing partner for its credit decision and the repayments "
    "(a separate consent under the PIPL; without it no application is made)."
)


def _audit(*, actor, plan: InstalmentPlan, change: str, **details) -> None:
    audit_record(
        action=AuditAction.INSTALMENT_PLAN_CHANGED,
        actor=actor,
        object_type="instalment_plan",
        object_id=plan.public_id,
        clinic=plan.clinic_id and plan.clinic,
        details={"change": change, "application_no": plan.application_no, **details},
    )


def quote_create(*, actor, plan_id, months, method: str, today: date | None = None):
    """A quote for a treatment plan: the schedule, its APR and total cost, kept a week for
    the patient to agree to."""
    summary = clinical.plan_summary(actor=actor, plan_id=plan_id)
    if summary.status not in FINANCEABLE:
        raise Conflict(
            _("Only a proposed or accepted treatment plan can be paid in instalments."),
            code="plan_not_financeable",
        )
    if summary.total_fen < products.minimum_fen():
        raise Conflict(
            _("Instalments start from plans of %(amount)s CNY.")
            % {"amount": f"{products.minimum_fen() / 100:,.2f}"},
            code="below_instalment_minimum",
        )
    if method not in amortisation.METHODS:
        raise InvalidInput(_("Choose equal payments or equal principal."), code="invalid_method")
    product = products.product_for(summary.service_codes)
    term = product.term(months) if isinstance(months, int) else None
    if term is None:
        raise InvalidInput(
            _("This plan can be paid over %(months)s months.")
            % {"months": "/".join(str(m) for m in product.months)},
            code="invalid_months",
        )
    start = today or timezone.localdate()
    schedule = amortisation.schedule(
        principal_fen=summary.total_fen,
        months=months,
        method=method,
        annual_rate=term.annual_rate,
        start=start,
    )
    fee = int(summary.total_fen * term.clinic_fee_rate)
    clinic_apr = (
        amortisation.annual_rate_of_flows(
            summary.total_fen - fee, [i.amount_fen for i in schedule.instalments]
        )
        if fee
        else 0
    )
    with transaction.atomic():
        plan = InstalmentPlan.objects.create(
            treatment_plan_id=summary.pk,
            plan_revision=summary.revision,
            patient_id=summary.patient_id,
            clinic_id=summary.clinic_id,
            borrower_id=summary.holder_id,
            product=product.code,
            partner=partner.PARTNER,
            months=months,
            method=method,
            principal_fen=summary.total_fen,
            annual_rate=term.annual_rate,
            apr=schedule.apr,
            total_interest_fen=schedule.total_interest_fen,
            clinic_fee_fen=fee,
            clinic_apr=clinic_apr,
            start_date=start,
            quote_expires_at=timezone.now() + QUOTE_LIFETIME,
            application_no="IP" + timezone.now().strftime("%Y%m%d") + secrets.token_hex(8).upper(),
        )
        Instalment.objects.bulk_create(
            Instalment(
                plan=plan,
                number=i.number,
                due_date=i.due_date,
                principal_fen=i.principal_fen,
                interest_fen=i.interest_fen,
            )
            for i in schedule.instalments
        )
        if getattr(actor, "is_clinic_staff", False):
            _audit(actor=actor, plan=plan, change="quoted", months=months, method=method)
    return plan


def plan_access(*, actor, plan_id) -> InstalmentPlan:
    """The borrower's plan, or staff of its clinic's (404 for anyone else)."""
    from yachi.clinics import facade as clinics

    public_id = as_public_id(plan_id)
    plan = (
        InstalmentPlan.objects.select_related("clinic").filter(public_id=public_id).first()
        if public_id
        else None
    )
    missing = NotFound(_("Instalment plan not found."), code="instalment_plan_not_found")
    if plan is None:
        raise missing
    if getattr(actor, "is_patient", False):
        if plan.borrower_id != actor.pk:
            raise missing
        return plan
    if not getattr(actor, "is_clinic_staff", False):
        raise missing
    allowed = clinics.staff_clinic_ids(actor)
    if allowed is not None and plan.clinic_id not in allowed:
        raise missing
    return plan


def plan_agree(
    *, actor, plan: InstalmentPlan, agree_terms: bool, share_with_partner: bool, callback_url: str
) -> InstalmentPlan:
    """The borrower agrees to the quote and, separately, to sharing data with the partner;
    the application goes to the partner, which decides by callback."""
    if getattr(actor, "pk", None) != plan.borrower_id:
        raise PermissionDenied(
            _("Only the account holder who borrows can agree to instalments."),
            code="borrower_only",
        )
    if not agree_terms:
        raise InvalidInput(_("Please agree to the schedule and its cost."), code="terms_required")
    if not share_with_partner:
        raise InvalidInput(
            _("The partner decides only with your consent to share these details."),
            code="sharing_consent_required",
        )
    if plan.status != PlanStatus.QUOTED:
        raise Conflict(_("This quote has already been agreed to."), code="already_agreed")
    if plan.quote_expires_at < timezone.now():
        raise Conflict(_("This quote has expired. Please ask for a new one."), code="quote_expired")
    summary = clinical.plan_summary(actor=actor, plan_id=plan.treatment_plan.public_id)
    if summary.revision != plan.plan_revision or summary.total_fen != plan.principal_fen:
        raise Conflict(
            _("The treatment plan has changed since this quote. Please ask for a new one."),
            code="plan_changed",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            done = InstalmentPlan.objects.filter(pk=plan.pk, status=PlanStatus.QUOTED).update(
                status=PlanStatus.APPLIED,
                terms_agreed_at=now,
                terms_words=str(TERMS_WORDS),
                sharing_agreed_at=now,
                sharing_words=str(SHARING_WORDS),
                updated_at=now,
            )
            if not done:
                raise Conflict(_("This quote has already been agreed to."), code="already_agreed")
            plan.refresh_from_db()
            _audit(actor=actor, plan=plan, change="agreed")
    except IntegrityError:
        raise Conflict(
            _("This treatment plan already has instalments."), code="already_financed"
        ) from None
    try:
        reference = partner.application_submit(
            plan=plan,
            applicant_name=summary.patient_name,
            applicant_phone=getattr(actor, "phone", "") or "",
            callback_url=callback_url,
        )
    except Exception:
        # Not sent: the quote stands, to agree to again once the partner answers.
        InstalmentPlan.objects.filter(pk=plan.pk, status=PlanStatus.APPLIED).update(
            status=PlanStatus.QUOTED, terms_agreed_at=None, sharing_agreed_at=None
        )
        raise
    InstalmentPlan.objects.filter(pk=plan.pk).update(partner_reference=reference)
    plan.partner_reference = reference
    return plan


def callback_receive(*, partner_name: str, headers, path: str, body: bytes) -> dict:
    """A partner's signed callback: a credit decision or a disbursement, applied once."""
    from django.conf import settings

    try:
        verify(
            settings.YACHI_FINANCING_PARTNER_CALLBACK_SECRET,
            headers=headers,
            method="POST",
            path=path,
            body=body,
        )
    except BadSignature:
        raise Unauthorized() from None
    try:
        event = json.loads(body)
        event_id = str(event["event_id"])[:64]
        kind = str(event["type"])
        application_no = str(event["application_no"])
    except (ValueError, KeyError, TypeError):
        raise InvalidInput(_("The callback is not understood."), code="bad_callback") from None
    if partner_name != partner.PARTNER or kind not in ("credit_decision", "disbursed"):
        raise InvalidInput(_("The callback is not understood."), code="bad_callback")
    with transaction.atomic():
        plan = (
            InstalmentPlan.objects.select_for_update().filter(application_no=application_no).first()
        )
        if plan is None:
            raise NotFound(_("Instalment plan not found."), code="instalment_plan_not_found")
        try:
            with transaction.atomic():
                PartnerEvent.objects.create(
                    partner=partner_name, event_id=event_id, kind=kind, plan=plan
                )
        except IntegrityError:
            return {"status": "duplicate"}
        if kind == "credit_decision":
            _decision(plan, event)
        else:
            _disbursed(plan, event)
    return {"status": "ok"}


def _decision(plan: InstalmentPlan, event: dict) -> None:
    if plan.status != PlanStatus.APPLIED:
        return
    approved = event.get("decision") == "approved"
    plan.status = PlanStatus.APPROVED if approved else PlanStatus.DECLINED
    plan.decision_reason = str(event.get("reason") or "")[:200]
    plan.decided_at = timezone.now()
    plan.save(update_fields=["status", "decision_reason", "decided_at", "updated_at"])
    _audit(actor=None, plan=plan, change="approved" if approved else "declined")
    kind = "instalment_approved" if approved else "instalment_declined"
    transaction.on_commit(
        lambda: messaging.notify(
            recipient=plan.borrower,
            kind=kind,
            params={"clinic": plan.clinic.display_name, "months": str(plan.months)},
            key=f"{kind}:{plan.application_no}",
            object_type="instalment_plan",
            object_id=plan.public_id,
        )
    )


def _disbursed(plan: InstalmentPlan, event: dict) -> None:
    if plan.status not in (PlanStatus.APPROVED, PlanStatus.REPAYING):
        return
    try:
        amount = int(event["amount_fen"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(_("The callback is not understood."), code="bad_callback") from None
    if amount != plan.principal_fen - plan.clinic_fee_fen:
        raise InvalidInput(
            _("The amount disbursed is not the plan's."), code="disbursement_mismatch"
        )
    plan.status = PlanStatus.REPAYING
    plan.disbursed_fen = amount
    plan.disbursed_at = timezone.now()
    plan.save(update_fields=["status", "disbursed_fen", "disbursed_at", "updated_at"])
    _audit(actor=None, plan=plan, change="disbursed", amount_fen=amount)


def repayments_sync(*, plan: InstalmentPlan, today: date | None = None) -> InstalmentPlan:
    """Read the partner's repayment status; what it has not been paid after its due date
    is overdue (CRM's arrears tag counts it)."""
    if plan.status not in (PlanStatus.REPAYING,):
        return plan
    today = today or timezone.localdate()
    by_number = {r.number: r for r in partner.repayments(application_no=plan.application_no)}
    now = timezone.now()
    with transaction.atomic():
        for instalment in plan.instalments.select_for_update():
            seen = by_number.get(instalment.number)
            if seen is not None and seen.status == "paid":
                if instalment.status != InstalmentStatus.PAID:
                    instalment.status = InstalmentStatus.PAID
                    instalment.paid_at = now
                    instalment.save(update_fields=["status", "paid_at"])
            elif instalment.due_date < today and instalment.status == InstalmentStatus.DUE:
                instalment.status = InstalmentStatus.OVERDUE
                instalment.save(update_fields=["status"])
        if not plan.instalments.exclude(status=InstalmentStatus.PAID).exists():
            InstalmentPlan.objects.filter(pk=plan.pk).update(
                status=PlanStatus.COMPLETED, updated_at=now
            )
    plan.refresh_from_db()
    return plan


def reminders_plan(*, today: date | None = None) -> int:
    """A reminder a few days before each instalment of a plan being repaid falls due, and
    one the day after an instalment is overdue; each once (the message key)."""
    today = today or timezone.localdate()
    count = 0
    due_soon = Instalment.objects.select_related("plan__borrower", "plan__clinic").filter(
        plan__status=PlanStatus.REPAYING,
        status=InstalmentStatus.DUE,
        due_date__gte=today,
        due_date__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
    )
    overdue = Instalment.objects.select_related("plan__borrower", "plan__clinic").filter(
        plan__status=PlanStatus.REPAYING, status=InstalmentStatus.OVERDUE
    )
    for kind, rows in (("instalment_due", due_soon), ("instalment_overdue", overdue)):
        for instalment in rows:
            plan = instalment.plan
            messaging.notify(
                recipient=plan.borrower,
                kind=kind,
                params={
                    "clinic": plan.clinic.display_name,
                    "number": str(instalment.number),
                    "months": str(plan.months),
                    "amount": f"{instalment.amount_fen / 100:,.2f}",
                    "date": instalment.due_date.isoformat(),
                    "link": reverse("web:financing_plan", args=[plan.public_id]),
                },
                key=f"{kind}:{plan.application_no}:{instalment.number}",
                object_type="instalment_plan",
                object_id=plan.public_id,
            )
            count += 1
    return count
