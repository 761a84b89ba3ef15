from ninja import Query, Router

from yachi.clinics import access, selectors
from yachi.clinics.choices import Skill
from yachi.clinics.schemas import ClinicOut, DoctorDetailOut, DoctorOut, ServiceOut
from yachi.core.schemas import InputSchema, errors

router = Router(tags=["clinics"])


class DoctorFilter(InputSchema):
    skill: Skill | None = None


@router.get("/clinics", auth=None, response=list[ClinicOut])
def list_clinics(request):
    return list(selectors.active_clinics())


@router.get("/clinics/{clinic_id}", auth=None, response={200: ClinicOut, **errors(404)})
def get_clinic(request, clinic_id: str):
    return access.clinic_by_id(clinic_id)


@router.get(
    "/clinics/{clinic_id}/doctors", auth=None, response={200: list[DoctorOut], **errors(404, 422)}
)
def list_doctors(request, clinic_id: str, filters: Query[DoctorFilter]):
    clinic = access.clinic_by_id(clinic_id)
    return selectors.clinic_doctors(clinic=clinic, skill=filters.skill)


@router.get(
    "/clinics/{clinic_id}/services", auth=None, response={200: list[ServiceOut], **errors(404)}
)
def list_services(request, clinic_id: str):
    return selectors.clinic_services(clinic=access.clinic_by_id(clinic_id))


@router.get("/doctors/{doctor_id}", auth=None, response={200: DoctorDetailOut, **errors(404)})
def get_doctor(request, doctor_id: str):
    """A doctor's profile: title, skills, years in practice, introduction, photo, and the
    clinics the doctor works at. The photo is loaded from `photo_url`."""
    return access.doctor_by_id(doctor_id, with_clinics=True)
