"""What the tags are computed from, read in bulk through the other contexts' facades.

A handful of queries for the whole chain, whatever the number of patients: the people
(patients), their appointments (booking), the treatment bills (payments), delivery
addresses (shop), clinics' addresses (clinics) and CRM's own surveys and complaints.
A bill is the patient's whose visit it charges for; a bill for no visit is the
account holder's.
"""

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from yachi.booking import facade as booking
from yachi.clinics import facade as clinics
from yachi.crm.feedback.models import Complaint as ComplaintRow
from yachi.crm.feedback.models import Survey
from yachi.crm.tags import arrears, rules
from yachi.patients import facade as patients
from yachi.payments import facade as payments
from yachi.shop import facade as shop


def _local(moment: datetime) -> datetime:
    """The pure rules count days on the local calendar (``.date()``)."""
    return timezone.localtime(moment)


def gather(
    *, patient_ids=None, progress: Callable[[str], None] | None = None
) -> tuple[list[rules.PatientFacts], list[rules.ClinicFacts]]:
    step = progress or (lambda label: None)
    people = patients.patient_rows(patient_ids=patient_ids)
    facts = {pk: rules.PatientFacts(patient_id=pk) for pk, *_ in people}
    holders = {owner: pk for pk, owner, seat, _public in people if seat == 0}
    owners = {pk: owner for pk, owner, _seat, _public in people}
    step("patients")

    patient_of_appointment: dict[int, int] = {}
    for pk, patient_id, clinic_id, start, status, service_code in booking.appointment_rows(
        patient_ids=patient_ids
    ):
        patient_of_appointment[pk] = patient_id
        if patient_id in facts:
            facts[patient_id].visits.append(
                rules.Visit(
                    clinic_id=clinic_id,
                    start=_local(start),
                    status=status,
                    service_code=service_code or "",
                )
            )
    step("appointments")

    payer_ids = None if patient_ids is None else set(owners.values())
    for bill in payments.bill_rows(payer_ids=payer_ids):
        patient_id = patient_of_appointment.get(bill.appointment_id) or holders.get(bill.payer_id)
        if patient_id not in facts:
            continue
        if bill.paid_at is not None and bill.status in ("paid", "refunded"):
            facts[patient_id].payments.append(
                rules.Payment(
                    clinic_id=bill.clinic_id,
                    paid_at=_local(bill.paid_at),
                    list_fen=bill.list_fen,
                    discount_fen=bill.discount_fen,
                    refunded_fen=bill.refunded_fen,
                )
            )
        elif bill.paid_at is None and bill.status in ("created", "closed"):
            # Still to pay, or its time to pay ran out (the payment closes after the
            # bill's days to pay, the money still owed): both are unpaid.
            facts[patient_id].unpaid.append(
                rules.Unpaid(
                    clinic_id=bill.clinic_id,
                    billed_at=_local(bill.billed_at),
                    amount_fen=bill.amount_fen,
                )
            )
    for row in arrears.owed(patient_ids):
        if row.patient_id in facts:
            facts[row.patient_id].unpaid.append(
                rules.Unpaid(
                    clinic_id=row.clinic_id,
                    billed_at=_local(row.due_at),
                    amount_fen=row.amount_fen,
                )
            )
    step("bills")

    family: dict[int, list[int]] = {}
    for pk, owner in owners.items():
        family.setdefault(owner, []).append(pk)
    for user_id, address in shop.delivery_addresses(user_ids=payer_ids).items():
        district = rules.district_of(address)
        for pk in family.get(user_id, ()) if district else ():
            facts[pk].district = district
    step("addresses")

    surveys = Survey.objects.all()
    complaints = ComplaintRow.objects.all()
    if patient_ids is not None:
        surveys = surveys.filter(patient_id__in=list(patient_ids))
        complaints = complaints.filter(patient_id__in=list(patient_ids))
    for patient_id, clinic_id, at, score in surveys.values_list(
        "patient_id", "clinic_id", "created_at", "score"
    ):
        if patient_id in facts:
            facts[patient_id].scores.append(
                rules.Score(clinic_id=clinic_id, at=_local(at), score=score)
            )
    for patient_id, clinic_id, at, status in complaints.values_list(
        "patient_id", "clinic_id", "created_at", "status"
    ):
        if patient_id in facts:
            facts[patient_id].complaints.append(
                rules.Complaint(clinic_id=clinic_id, at=_local(at), status=status)
            )
    step("feedback")

    clinic_facts = [
        rules.ClinicFacts(clinic_id=clinic.pk, district=rules.district_of(clinic.address))
        for clinic in clinics.active_clinics()
    ]
    return list(facts.values()), clinic_facts
