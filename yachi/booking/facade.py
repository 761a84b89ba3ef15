"""What other contexts may use of booking."""

from yachi.booking.selectors import (
    appointment_by_public_id,
    appointments_export,
    appointments_of_patient,
    clinic_ids_visited_by,
    last_visits,
    patient_has_upcoming_appointments,
    patients_seen_at,
)
from yachi.booking.services import appointments_cancel_upcoming

__all__ = [
    "appointment_by_public_id",
    "appointments_cancel_upcoming",
    "appointments_export",
    "appointments_of_patient",
    "clinic_ids_visited_by",
    "last_visits",
    "patient_has_upcoming_appointments",
    "patients_seen_at",
]
