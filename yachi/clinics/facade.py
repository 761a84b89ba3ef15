"""What other contexts may use of clinics, doctors, chairs and services."""

from yachi.clinics.access import clinic_by_id, doctor_by_id, service_by_id, staff_clinic_by_id
from yachi.clinics.calendar import (
    calendar_day_delete,
    calendar_day_save,
    calendar_days,
    calendar_seed,
    is_public_holiday,
    opening_hours_on,
    weekday_of,
    year_calendar,
)
from yachi.clinics.choices import DayKind, Skill, Weekday
from yachi.clinics.events import CalendarChanged, ChairsChanged
from yachi.clinics.models import LONGEST_SERVICE_MINUTES
from yachi.clinics.profiles import doctor_photo_url, may_edit_doctor_profile
from yachi.clinics.selectors import (
    active_chair_ids,
    active_clinics,
    clinic_billable_services,
    clinic_chairs,
    clinic_doctors,
    clinic_services,
    doctor_by_pk,
    doctor_has_skill,
    doctor_of_user,
    doctor_works_at,
    emergency_doctors,
    emergency_service,
    staff_clinic_ids,
    staff_clinics,
)

__all__ = [
    "LONGEST_SERVICE_MINUTES",
    "CalendarChanged",
    "ChairsChanged",
    "DayKind",
    "Skill",
    "Weekday",
    "active_chair_ids",
    "active_clinics",
    "calendar_day_delete",
    "calendar_day_save",
    "calendar_days",
    "calendar_seed",
    "clinic_billable_services",
    "clinic_by_id",
    "clinic_chairs",
    "clinic_doctors",
    "clinic_services",
    "doctor_by_id",
    "doctor_by_pk",
    "doctor_has_skill",
    "doctor_of_user",
    "doctor_photo_url",
    "doctor_works_at",
    "emergency_doctors",
    "emergency_service",
    "is_public_holiday",
    "may_edit_doctor_profile",
    "opening_hours_on",
    "service_by_id",
    "staff_clinic_by_id",
    "staff_clinic_ids",
    "staff_clinics",
    "weekday_of",
    "year_calendar",
]
