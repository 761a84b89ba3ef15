"""What other contexts may use of clinics, doctors, chairs and services."""

from yachi.clinics.access import clinic_by_id, staff_clinic_by_id
from yachi.clinics.events import ChairsChanged
from yachi.clinics.models import Chair, Clinic, Doctor, Service
from yachi.clinics.selectors import (
    active_chair_ids,
    active_clinics,
    clinic_billable_services,
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
    "active_clinics",
    "clinic_billable_services",
    "clinic_by_id",
    "doctor_has_skill",
    "doctor_of_user",
    "doctor_works_at",
    "shortest_service_minutes",
    "staff_clinic_by_id",
    "staff_clinic_ids",
    "staff_clinics",
]
