from dataclasses import dataclass
from datetime import datetime

from yachi.core.events import DomainEvent


@dataclass(frozen=True)
class AppointmentBooked(DomainEvent):
    appointment_id: int
    clinic_id: int
    doctor_id: int
    patient_id: int
    start: datetime
    # Every appointment of the same booking (a family back to back), in time order.
    party: tuple[int, ...] = ()


@dataclass(frozen=True)
class AppointmentRescheduled(DomainEvent):
    appointment_id: int
    doctor_id: int
    previous_start: datetime
    start: datetime
    # Set when the appointment moved to another doctor too.
    previous_doctor_id: int | None = None
    # Moved later for an emergency: the patient hears an apology of its own instead.
    for_emergency: bool = False


@dataclass(frozen=True)
class AppointmentStatusChanged(DomainEvent):
    """Any lifecycle step: arrived, in treatment, completed, cancelled, no-show."""

    appointment_id: int
    doctor_id: int
    previous_status: str
    status: str
    # Who moved it (a user's pk), None for the system (an erasure's cancellations).
    actor_id: int | None = None
