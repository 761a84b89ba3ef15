"""What other contexts may use of clinics, doctors, chairs and services."""

from yachi.clinics.events import ChairsChanged
from yachi.clinics.models import Chair, Clinic, Doctor, Service
from yachi.clinics.selectors import (
    active_chair_ids,
    doctor_has_skill,
    doctor_of_user,
    doctor_works_at,
    shortest_service_minutes,
    staff_clinic_ids,
    staff_clinics,
)

__all__ = [
    "Chair",
    "ChairsChanged",
    "Clinic",
    "Doctor",
    "Service",
    "active_chair_ids",
    "doctor_has_skill",
    "doctor_of_user",
    "doctor_works_at",
    "shortest_service_minutes",
    "staff_clinic_ids",
    "staff_clinics",
]
