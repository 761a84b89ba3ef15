"""Public lookups of clinics, doctors and services by their public ids."""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from yachi.clinics.models import Clinic, Doctor, DoctorSkill, Service
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id


def _uuid(value, missing: NotFound):
    public_id = as_public_id(value)
    if public_id is None:
        raise missing
    return public_id


def clinic_by_id(clinic_id) -> Clinic:
    missing = NotFound(_("Clinic not found."), code="clinic_not_found")
    clinic = Clinic.objects.filter(public_id=_uuid(clinic_id, missing), is_active=True).first()
    if clinic is None:
        raise missing
    return clinic


def doctor_by_id(doctor_id, *, with_clinics: bool = False) -> Doctor:
    missing = NotFound(_("Doctor not found."), code="doctor_not_found")
    queryset = Doctor.objects.prefetch_related(
        Prefetch("skills", queryset=DoctorSkill.objects.order_by("skill"))
    )
    if with_clinics:
        queryset = queryset.prefetch_related(
            Prefetch("clinics", queryset=Clinic.objects.order_by("name"))
        )
    doctor = queryset.filter(public_id=_uuid(doctor_id, missing), is_active=True).first()
    if doctor is None:
        raise missing
    return doctor


def doctor_for_service(doctor_id, service: Service) -> Doctor:
    """An active doctor by public id, read in one query together with whether they
    work at the service's clinic and have the skill it needs: ``doctor_fit`` then asks
    the database nothing more (a booking's and an availability read's checks)."""
    missing = NotFound(_("Doctor not found."), code="doctor_not_found")
    doctor = (
        Doctor.objects.filter(public_id=_uuid(doctor_id, missing), is_active=True)
        .annotate(
            _works_here=Exists(
                Doctor.clinics.through.objects.filter(
                    doctor_id=OuterRef("pk"), clinic_id=service.clinic_id
                )
            ),
            _skilled=Exists(
                DoctorSkill.objects.filter(doctor_id=OuterRef("pk"), skill=service.required_skill)
            ),
        )
        # One row at most: by its key, not by the model's ordering.
        .order_by("pk")
        .first()
    )
    if doctor is None:
        raise missing
    doctor.fit_for = (service.pk, (doctor._works_here, doctor._skilled))
    return doctor


def service_by_id(service_id) -> Service:
    missing = NotFound(_("Service not found."), code="service_not_found")
    service = (
        Service.objects.select_related("clinic")
        .filter(public_id=_uuid(service_id, missing), is_active=True, clinic__is_active=True)
        # One row at most: by its key, not by the model's ordering (clinic, length, code).
        .order_by("pk")
        .first()
    )
    if service is None:
        raise missing
    return service


def staff_clinic_by_id(*, actor, clinic_id) -> Clinic:
    """A clinic the staff member works at; any other answers "not found"."""
    from yachi.clinics.selectors import staff_clinic_ids

    clinic = clinic_by_id(clinic_id)
    allowed = staff_clinic_ids(actor)
    if allowed is not None and clinic.pk not in allowed:
        raise NotFound(_("Clinic not found."), code="clinic_not_found")
    return clinic
