"""What clinics tells the contexts beneath it, which cannot import it: a staff member's
doctor and clinics in their ``/me`` profile (accounts), and a manager's part of the
audit trail (compliance). Registered when the app loads."""

from yachi.clinics.models import Doctor, StaffMembership
from yachi.clinics.selectors import doctor_of_user, staff_clinic_ids, staff_clinics
from yachi.compliance.facade import AuditScope


def profile_part(user) -> dict:
    doctor = doctor_of_user(user)
    clinic_ids = []
    if user.is_clinic_staff:
        clinic_ids = [clinic.public_id for clinic in staff_clinics(user)]
    return {"doctor_id": doctor.public_id if doctor else None, "clinic_ids": clinic_ids}


def audit_scope(user) -> AuditScope:
    """The manager's clinics, and everyone who works at them."""
    clinic_ids = staff_clinic_ids(user) or set()
    doctors = Doctor.objects.filter(clinics__in=clinic_ids).values_list("user_id", flat=True)
    members = StaffMembership.objects.filter(clinic__in=clinic_ids).values_list(
        "user_id", flat=True
    )
    return AuditScope(
        clinics={str(clinic.public_id) for clinic in staff_clinics(user)},
        actors=set(doctors) | set(members),
    )
