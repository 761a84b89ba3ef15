"""What the managers' dashboards read of the queue (CRM, ADR 0053): how long each
patient waited to be called, in one query whatever the number of clinics and days."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from yachi.queueing.models import Ticket


@dataclass(frozen=True)
class Wait:
    clinic_id: int
    doctor_id: int
    patient_id: int
    appointment_id: int | None
    day: date
    minutes: float


def waits_of_clinics(*, clinic_ids: Iterable[int], first_day: date, last_day: date) -> list[Wait]:
    """Every called ticket of these clinics' days from ``first_day`` to ``last_day``, with
    the minutes from check-in to the first call. A patient who checked in before their
    appointment's time waits from that time: arriving early is not the clinic's delay."""
    rows = (
        Ticket.objects.filter(
            clinic_id__in=list(clinic_ids),
            day__gte=first_day,
            day__lte=last_day,
            called_at__isnull=False,
        )
        .order_by()
        .values_list(
            "clinic_id",
            "queue__doctor_id",
            "patient_id",
            "appointment_id",
            "day",
            "checked_in_at",
            "appointment_start",
            "called_at",
        )
    )
    waits = []
    for clinic_id, doctor_id, patient_id, appointment_id, day, checked_in, booked, called in rows:
        since = max(checked_in, booked) if booked is not None else checked_in
        minutes = max(0.0, (called - since).total_seconds() / 60)
        waits.append(Wait(clinic_id, doctor_id, patient_id, appointment_id, day, minutes))
    return waits
