"""What patient–clinic chat (messaging, beneath clinics) asks of clinics: the clinic a
patient writes to, who answers a clinic's conversations (the duties of ``roles``) and
whom a conversation can be handed to. Registered in ``ClinicsConfig.ready``."""

from yachi.clinics.models import Clinic, Doctor, StaffMembership
from yachi.clinics.roles import Duty, clinics_where, may
from yachi.core.roles import ClinicRole


def clinic_by_public_id(public_id) -> Clinic | None:
    return Clinic.objects.filter(public_id=public_id, is_active=True).first()


def clinics_open() -> list[Clinic]:
    return list(Clinic.objects.filter(is_active=True).order_by("name"))


def clinics_by_pk(pks) -> dict[int, Clinic]:
    return Clinic.objects.in_bulk(list(pks))


def may_at(user, clinic_pk: int, duty: str) -> bool:
    return may(user, clinic_pk, Duty(duty))


def clinics_where_duty(user, duty: str) -> set[int] | None:
    return clinics_where(user, Duty(duty))


def staff_names(user_pks) -> dict[int, str]:
    """Staff as patients see them: a doctor by the doctor's name, others by their own."""
    from django.contrib.auth import get_user_model

    pks = list(user_pks)
    names = {user.pk: user.name for user in get_user_model().objects.filter(pk__in=pks)}
    for user_id, name in Doctor.objects.filter(user_id__in=pks).values_list("user_id", "name"):
        names[user_id] = name
    return names


def colleagues(clinic_pk: int) -> list:
    """The clinic's front desk and managers, then its doctors, each once, by name."""
    from yachi.messaging.facade import ChatColleague

    people: dict[int, ChatColleague] = {}
    for membership in StaffMembership.objects.filter(clinic_id=clinic_pk).select_related("user"):
        user = membership.user
        people[user.pk] = ChatColleague(
            user_id=user.pk,
            public_id=user.public_id,
            name=user.name or user.phone,
            role=str(ClinicRole(membership.role).label),
        )
    for doctor in Doctor.objects.filter(clinics=clinic_pk, is_active=True).select_related("user"):
        people.setdefault(
            doctor.user_id,
            ChatColleague(
                user_id=doctor.user_id,
                public_id=doctor.user.public_id,
                name=doctor.name,
                role=str(ClinicRole.DOCTOR.label),
            ),
        )
    return sorted(people.values(), key=lambda person: (person.role, person.name))
