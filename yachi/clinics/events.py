from dataclasses import dataclass

from yachi.core.events import DomainEvent


@dataclass(frozen=True)
class ChairsChanged(DomainEvent):
    """A clinic gained, lost or re-activated a chair: its capacity changed."""

    clinic_id: int


@dataclass(frozen=True)
class CalendarChanged(DomainEvent):
    """A clinic closed or opened a date: its bookable time changed that day."""

    clinic_id: int
    day: object = None  # None: many days (a year seeded)


@dataclass(frozen=True)
class ClinicChanged(DomainEvent):
    """A clinic's own settings (booking policy, time zone, opening hours, whether it is
    open for booking) or one of its services changed."""

    clinic_id: int


@dataclass(frozen=True)
class DoctorChanged(DomainEvent):
    """A doctor's profile, skills, clinics or active state changed."""

    doctor_id: int
