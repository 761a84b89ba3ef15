"""What clinics tells the contexts beneath it, which cannot import it: a staff member's
doctor and clinics (with the role at each) in their ``/me`` profile and the roles they
hold anywhere, for the second factor (accounts); a manager's part of the audit trail and
the role an actor acted in at a clinic (compliance). Registered when the app loads."""

from yachi.clinics.models import Clinic, Doctor, StaffMembership
from yachi.clinics.roles import Duty, clinics_where, clinics_with_roles, held_roles, role_at
from yachi.clinics.selectors import doctor_of_user
from yachi.compliance.facade import AuditScope
from yachi.core.models import as_public_id


def profile_part(user) -> dict:
    doctor = doctor_of_user(user)
    mine = clinics_with_roles(user) if user.is_clinic_staff else []
    return {
        "doctor_id": doctor.public_id if doctor else None,
        "clinic_ids": [clinic.public_id for clinic, _role in mine],
        "clinic_roles": [{"clinic_id": clinic.public_id, "role": role} for clinic, role in mine],
    }


def roles_held(user) -> frozenset[str]:
    return held_roles(user)


def acting_role(actor, clinic) -> str:
    """The role ``actor`` acted in at ``clinic`` (a clinic, or its public id), for the audit
    trail; without a clinic (a login), their one role if they hold only one kind; ""
    when that says nothing."""
    if not clinic:
        held = held_roles(actor)
        return next(iter(held)) if len(held) == 1 else ""
    if not hasattr(clinic, "pk"):
        public_id = as_public_id(clinic)
        clinic = (
            Clinic.objects.filter(public_id=public_id).only("pk").first() if public_id else None
        )
        if clinic is None:
            return ""
    return role_at(actor, clinic) or ""


def audit_scope(user) -> AuditScope:
    """The clinics the person manages, and everyone who works at them."""
    clinic_ids = clinics_where(user, Duty.MANAGE) or set()
    doctors = Doctor.objects.filter(clinics__in=clinic_ids).values_list("user_id", flat=True)
    members = StaffMembership.objects.filter(clinic__in=clinic_ids).values_list(
        "user_id", flat=True
    )
    public_ids = Clinic.objects.filter(pk__in=clinic_ids).values_list("public_id", flat=True)
    return AuditScope(
        clinics={str(public_id) for public_id in public_ids},
        actors=set(doctors) | set(members),
    )
