"""What patients needs to know of appointments, told by booking when its app loads.

Booking stands above patients (it books for the people on a family account), so
patients cannot import it; booking registers these reads and the one write the
family's erasure needs with ``register_visits``.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Visits:
    # (public_id) -> the appointment or None
    appointment_by_public_id: Callable
    # (patient_ids) -> the appointments of these people, for their data download
    appointments_export: Callable
    # (patient_id) -> the appointments of one person, for the chart
    appointments_of_patient: Callable
    # (patient_id) -> ids of the clinics where this person has been seen
    clinic_ids_visited_by: Callable
    # (patient_ids) -> {patient id: date of the last visit}
    last_visits: Callable
    # (patient_id) -> whether this person has appointments to come
    patient_has_upcoming_appointments: Callable
    # (patient_ids, clinic_ids or None) -> ids of those seen at one of these clinics
    patients_seen_at: Callable
    # (patient_ids, reason) -> how many appointments to come were cancelled
    appointments_cancel_upcoming: Callable


_registered: list[Visits] = []


def register_visits(**functions) -> None:
    _registered[:] = [Visits(**functions)]


class _Booking:
    """The registered functions, called as ``visits.last_visits(patient_ids=...)``."""

    def __getattr__(self, name):
        if not _registered:
            raise RuntimeError("booking has not registered its visits with patients")
        return getattr(_registered[0], name)


visits = _Booking()
