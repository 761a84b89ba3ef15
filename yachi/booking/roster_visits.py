"""What rostering, which stands beneath booking, may know of booked visits: enough to
show a manager whom a roster change would leave without a doctor."""

from dataclasses import dataclass
from datetime import datetime

from yachi.booking.choices import ACTIVE_STATUSES
from yachi.booking.models import Appointment


@dataclass(frozen=True)
class BookedVisit:
    doctor_id: int
    doctor: str
    patient: str
    service: str
    start: datetime
    end: datetime


def booked_visits(*, doctor_ids, clinic_id: int, start: datetime) -> list[BookedVisit]:
    rows = (
        Appointment.objects.filter(
            doctor_id__in=list(doctor_ids),
            clinic_id=clinic_id,
            status__in=ACTIVE_STATUSES,
            start__gte=start,
        )
        .select_related("doctor", "patient", "service")
        .order_by("start")
    )
    return [
        BookedVisit(
            doctor_id=row.doctor_id,
            doctor=row.doctor.name,
            patient=row.patient.display_name,
            service=row.service.display_name,
            start=row.start,
            end=row.end,
        )
        for row in rows
    ]
