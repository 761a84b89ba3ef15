"""Claims: opened by the front desk for a paid treatment bill, the documents made from
the platform's data and sent to the insurer, the status followed by polling, and the
patient told of each change."""

import hashlib
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput
from yachi.insurance.claims import documents as docs
from yachi.insurance.claims import insurer as adapter
from yachi.insurance.claims.choices import FINAL, INSURER_STATUSES, ClaimStatus, Insurer
from yachi.insurance.claims.models import ClaimCase, ClaimDocument, ClaimEvent
from yachi.payments import facade as payments


class ClaimRefused(Conflict):
    code = "claim_refused"


def insurer_for(case) -> adapter.HttpInsurer:
    if not adapter.configured():
        raise ClaimRefused(
            _("No insurer's claims service is set up here."), code="claims_not_set_up"
        )
    return adapter.HttpInsurer()


def _patient_of(facts, payer):
    from yachi.booking import facade as booking
    from yachi.patients import facade as patients

    if facts.appointment_id is not None:
        appointment = booking.appointment_by_pk(facts.appointment_id)
        if appointment is not None:
            return appointment.patient
    return patients.everyone_on(patients.account_open(user=payer))[0]


def claim_open(
    *, actor, payment, insurer: str, policy_number: str, accident_date, description: str = ""
) -> ClaimCase:
    """A claim case for the paid bill ``payment`` pays, with the patient's policy."""
    facts = payments.bill_facts(payment)
    if facts is None or facts.status not in (payments.IntentStatus.PAID,):
        raise ClaimRefused(_("A claim is made for a paid treatment bill."), code="bill_not_paid")
    if insurer not in Insurer.values:
        raise InvalidInput(_("Choose the patient's insurer."), code="invalid_insurer")
    policy_number = (policy_number or "").strip()
    if not policy_number or len(policy_number) > 40 or not policy_number.isprintable():
        raise InvalidInput(_("Enter the policy number."), code="invalid_policy")
    if not isinstance(accident_date, date) or accident_date > timezone.localdate():
        raise InvalidInput(_("Enter the date of the accident, up to today."), code="invalid_date")
    description = (description or "").strip()[:500]
    try:
        with transaction.atomic():
            case = ClaimCase.objects.create(
                clinic=payment.clinic,
                payer=payment.payer,
                patient=_patient_of(facts, payment.payer),
                payment=payment,
                bill_id=facts.bill_id,
                insurer=insurer,
                policy_number=policy_number,
                accident_date=accident_date,
                accident_description=description,
                claimed_fen=facts.amount_fen,
                opened_by=actor,
            )
            ClaimEvent.objects.create(case=case, status=ClaimStatus.DRAFT, at=timezone.now())
            _audit(actor, case, AuditAction.CLAIM_CHANGED, step="opened")
    except IntegrityError:
        raise ClaimRefused(
            _("This bill already has a claim with this insurer."), code="claim_exists"
        ) from None
    return case


def _audit(actor, case, action, **details):
    audit_record(
        action=action,
        actor=actor,
        object_type="claim",
        object_id=case.public_id,
        clinic=case.clinic,
        details={"insurer": case.insurer, **details},
    )


def documents_of(*, actor, case, kinds=None) -> list[docs.Document]:
    """The claim's documents, made now from the bill, the chart and the X-rays; reading
    the chart and the X-rays is a staff read of clinical data (audited)."""
    from yachi.clinical import facade as clinical
    from yachi.imaging import facade as imaging

    facts = payments.bill_facts(case.payment)
    made = [docs.itemised_bill(case, facts, payments.shares_of(case.payment))]
    made.append(
        docs.diagnosis_certificate(
            case, clinical.diagnoses_of(patient=case.patient, clinic_ids={case.clinic_id})
        )
    )
    picture = imaging.latest_xray_picture(patient=case.patient, clinic_ids={case.clinic_id})
    xray = docs.xray(case, picture)
    if xray is not None:
        made.append(xray)
    if kinds is not None:
        made = [d for d in made if d.kind in kinds]
    if actor is not None:
        audit_record(
            action=AuditAction.CLINICAL_READ,
            actor=actor,
            object_type="patient",
            object_id=case.patient.public_id,
            clinic=case.clinic,
            details={
                "part": "claim_documents",
                "claim": str(case.public_id),
                "documents": [d.kind for d in made],
            },
        )
    return made


def _record_sent(case, made, now):
    ClaimDocument.objects.bulk_create(
        ClaimDocument(
            case=case,
            kind=d.kind,
            sha256=hashlib.sha256(d.data).hexdigest(),
            size=len(d.data),
            sent_at=now,
        )
        for d in made
    )


def claim_submit(*, actor, case) -> ClaimCase:
    """Send the claim and its documents to the insurer (again: only what it asked for)."""
    with transaction.atomic():
        case = ClaimCase.objects.select_for_update().get(pk=case.pk)
        if case.status not in (ClaimStatus.DRAFT, ClaimStatus.MORE_DOCUMENTS):
            raise ClaimRefused(_("This claim is with the insurer already."), code="claim_submitted")
        made = documents_of(actor=actor, case=case)
        gateway = insurer_for(case)
        now = timezone.now()
        if case.status == ClaimStatus.DRAFT:
            state = gateway.file(
                reference=str(case.public_id),
                insurer=case.insurer,
                policy_number=case.policy_number,
                insured_name=case.patient.name,
                accident_date=case.accident_date.isoformat(),
                claimed_fen=case.claimed_fen,
                documents=made,
            )
            case.insurer_claim_number = state.number[:40]
            case.submitted_at = now
        else:
            state = gateway.add_documents(number=case.insurer_claim_number, documents=made)
        _record_sent(case, made, now)
        _apply(case, state, now)
        _audit(
            actor,
            case,
            AuditAction.CLAIM_CHANGED,
            step="submitted",
            documents=[d.kind for d in made],
        )
    return case


def _apply(case, state: adapter.ClaimState, now) -> bool:
    """Take the insurer's state; True when the status changed (the patient is told)."""
    status = INSURER_STATUSES.get(state.status)
    if status is None:
        raise adapter.InsurerUnavailable()
    changed = status != case.status
    case.status = status
    case.insurer_note = state.note[:200]
    if isinstance(state.approved_fen, int):
        case.approved_fen = state.approved_fen
    if isinstance(state.paid_fen, int):
        case.paid_fen = state.paid_fen
    case.checked_at = now
    case.save()
    if changed:
        ClaimEvent.objects.create(case=case, status=status, note=case.insurer_note, at=now)
        _tell_patient(case)
    return changed


def _tell_patient(case) -> None:
    from django.urls import reverse

    from yachi.messaging import facade as messaging

    params = {
        "patient": case.patient.name,
        "insurer": str(case.get_insurer_display()),
        "status": str(case.get_status_display()),
        "link": reverse("web:claims"),
    }
    transaction.on_commit(
        lambda: messaging.notify(
            recipient=case.payer,
            kind="claim_status",
            params=params,
            key=f"claim:{case.public_id}:{case.status}",
            object_type="claim",
            object_id=case.public_id,
        )
    )


def claim_refresh(*, case) -> bool:
    """Ask the insurer where the claim stands (the polling job, or staff)."""
    if case.status in FINAL or not case.insurer_claim_number or case.status == ClaimStatus.DRAFT:
        return False
    state = insurer_for(case).state(number=case.insurer_claim_number)
    with transaction.atomic():
        locked = ClaimCase.objects.select_for_update().get(pk=case.pk)
        return _apply(locked, state, timezone.now())


def claims_poll() -> int:
    """Every open claim with the insurer, asked once (the job runs hourly)."""
    changed = 0
    for case in ClaimCase.objects.filter(
        status__in=[ClaimStatus.SUBMITTED, ClaimStatus.MORE_DOCUMENTS, ClaimStatus.APPROVED]
    ).exclude(insurer_claim_number=""):
        try:
            changed += claim_refresh(case=case)
        except adapter.InsurerUnavailable:
            continue
    return changed
