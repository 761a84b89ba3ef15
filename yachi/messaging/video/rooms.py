"""What messaging knows of the appointment behind a video room: booking registers the
lookup (it stands above messaging), messaging decides who may enter and when."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class VideoAppointment:
    """The facts of one appointment a video room needs, as booking reads them."""

    id: UUID  # the appointment's public id
    clinic_id: UUID  # the clinic's public id
    clinic_name: str
    service_name: str
    is_video: bool  # its service is of kind ``video``
    is_active: bool  # pending, booked, arrived or in treatment
    start: datetime
    end: datetime
    timezone: str  # the clinic's
    patient_user_id: int  # the family account's owner
    patient_name: str  # the family member the appointment is for
    doctor_user_id: int | None
    doctor_name: str


_lookup: list[Callable[[UUID], VideoAppointment | None]] = []


def register_video_appointments(lookup: Callable[[UUID], VideoAppointment | None]) -> None:
    """Booking's ``lookup(public_id)``: the appointment's facts, or None."""
    _lookup[:] = [lookup]


def video_appointment(public_id: UUID) -> VideoAppointment | None:
    if not _lookup:
        raise RuntimeError("booking has not registered its appointments with messaging")
    return _lookup[0](public_id)
