from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from yachi.clinics.choices import Skill
from yachi.clinics.models import Chair, Clinic, Doctor, DoctorSkill, Material, Service
from yachi.clinics.roles import Duty, clinics_where, clinics_with_roles


def active_clinics() -> QuerySet[Clinic]:
    return Clinic.objects.filter(is_active=True).select_related("chain").order_by("name")


def clinic_doctors(*, clinic: Clinic, skill: str | None = None) -> list[Doctor]:
    queryset = (
        Doctor.objects.filter(clinics=clinic, is_active=True)
        .prefetch_related(Prefetch("skills", queryset=DoctorSkill.objects.order_by("skill")))
        .order_by("name")
    )
    if skill:
        queryset = queryset.filter(skills__skill=skill)
    return list(queryset)


def clinic_services(*, clinic: Clinic) -> list[Service]:
    """What patients book; emergencies come through the emergency request instead."""
    return list(
        Service.objects.filter(clinic=clinic, is_active=True)
        .exclude(required_skill=Skill.EMERGENCY)
        .select_related("clinic")
    )


def clinic_billable_services(*, clinic: Clinic) -> list[Service]:
    """Every active service of the clinic, emergencies too: what a bill at the desk may name."""
    return list(Service.objects.filter(clinic=clinic, is_active=True))


def clinic_billable_materials(*, clinic: Clinic) -> list[Material]:
    """The materials a bill at the clinic may charge: the chain's, each replaced by the
    clinic's own item of the same code where it has one; by name."""
    items: dict[str, Material] = {}
    rows = Material.objects.filter(chain_id=clinic.chain_id, is_active=True).filter(
        Q(clinic__isnull=True) | Q(clinic_id=clinic.pk)
    )
    # The chain's first, so that the clinic's own replaces it.
    for item in sorted(rows, key=lambda m: m.clinic_id is not None):
        items[item.code] = item
    return sorted(items.values(), key=lambda m: (m.name, m.code))


def clinic_chairs(*, clinic: Clinic) -> list[Chair]:
    return list(Chair.objects.filter(clinic=clinic, is_active=True).order_by("name"))


def active_chair_ids(*, clinic_id: int) -> list[int]:
    return list(
        Chair.objects.filter(clinic_id=clinic_id, is_active=True)
        .order_by("name")
        .values_list("pk", flat=True)
    )


def doctor_fit(*, doctor: Doctor, service) -> tuple[bool, bool]:
    """Whether ``doctor`` works at the service's clinic, and has the skill it needs.

    One query, or none for a doctor read by ``doctor_for_service`` for this service.
    """
    known = getattr(doctor, "fit_for", None)
    if known is not None and known[0] == service.pk:
        return known[1]
    row = (
        Doctor.objects.filter(pk=doctor.pk)
        .annotate(
            works_here=Exists(
                Doctor.clinics.through.objects.filter(
                    doctor_id=OuterRef("pk"), clinic_id=service.clinic_id
                )
            ),
            skilled=Exists(
                DoctorSkill.objects.filter(doctor_id=OuterRef("pk"), skill=service.required_skill)
            ),
        )
        .values_list("works_here", "skilled")
        .first()
    )
    return (bool(row[0]), bool(row[1])) if row else (False, False)


def active_chairs(*, clinic_id: int) -> list[Chair]:
    """The clinic's chairs taking bookings, by name: their ids and names only."""
    return list(
        Chair.objects.filter(clinic_id=clinic_id, is_active=True)
        .order_by("name")
        .only("pk", "name")
    )


def doctor_has_skill(*, doctor: Doctor, skill: str) -> bool:
    return DoctorSkill.objects.filter(doctor=doctor, skill=skill).exists()


def doctor_works_at(*, doctor: Doctor, clinic: Clinic) -> bool:
    return doctor.clinics.filter(pk=clinic.pk).exists()


def doctor_of_user(user) -> Doctor | None:
    if not getattr(user, "is_clinic_staff", False):
        return None
    return Doctor.objects.filter(user=user).first()


def staff_clinic_ids(user) -> set[int] | None:
    """The clinics a staff member may see, whatever their role there; None means every
    clinic (administrators). What they may *do* at each is ``roles.may``."""
    return clinics_where(user, Duty.SEE)


def staff_clinics(user) -> list[Clinic]:
    return [clinic for clinic, _role in clinics_with_roles(user)]


def emergency_doctors() -> QuerySet[Doctor]:
    """Active doctors who take emergencies, with the clinics they work at."""
    return Doctor.objects.filter(is_active=True, skills__skill=Skill.EMERGENCY).prefetch_related(
        "clinics"
    )


def emergency_service(*, clinic: Clinic) -> Service | None:
    """The clinic's shortest active emergency service, or None when it has none."""
    return (
        Service.objects.filter(clinic=clinic, required_skill=Skill.EMERGENCY, is_active=True)
        .order_by("duration_minutes")
        .first()
    )


def doctor_by_pk(doctor_id: int) -> Doctor:
    return Doctor.objects.get(pk=doctor_id)


def roster_names(*, doctor_ids, clinic_ids, chair_ids) -> dict[str, dict[int, tuple]]:
    """Public ids and names of doctors, clinics and chairs by row, for pages and answers
    that list many of them (a roster's shifts): three queries whatever their number."""
    return {
        "doctor": {
            pk: (public_id, name)
            for pk, public_id, name in Doctor.objects.filter(pk__in=list(doctor_ids))
            .order_by()
            .values_list("pk", "public_id", "name")
        },
        "clinic": {
            pk: (public_id, name)
            for pk, public_id, name in Clinic.objects.filter(pk__in=list(clinic_ids))
            .order_by()
            .values_list("pk", "public_id", "name")
        },
        "chair": {
            pk: (public_id, name)
            for pk, public_id, name in Chair.objects.filter(pk__in=list(chair_ids))
            .order_by()
            .values_list("pk", "public_id", "name")
        },
    }
