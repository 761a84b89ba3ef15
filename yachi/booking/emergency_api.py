from datetime import datetime
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, StrictFloat, StrictInt

from yachi.booking import emergency
from yachi.booking.choices import EmergencyStatus
from yachi.booking.models import EmergencyCase
from yachi.booking.schemas import local
from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.schemas import InputSchema, LocalDatetime, Text, errors
from yachi.patients import access as patient_access

router = Router(tags=["emergencies"])


class EmergencyIn(InputSchema):
    pain_level: StrictInt = Field(ge=1, le=10)
    symptoms: Text = Field("", max_length=500)
    latitude: StrictFloat | StrictInt = Field(ge=-90, le=90)
    longitude: StrictFloat | StrictInt = Field(ge=-180, le=180)
    patient_id: UUID | None = None


class PlaceOut(Schema):
    id: UUID
    name: str
    address: str
    phone: str
    latitude: float
    longitude: float


class EmergencyOut(Schema):
    id: UUID
    status: str
    status_display: str
    message: str
    pain_level: int
    notified_doctor_ids: list[UUID]
    doctor_id: UUID | None
    doctor_name: str | None
    clinic: PlaceOut | None
    nearest_clinic: PlaceOut | None
    appointment_start: datetime | None
    eta_minutes: int | None
    created_at: LocalDatetime


def _place(clinic):
    if clinic is None:
        return None
    return {
        "id": clinic.public_id,
        "name": clinic.display_name,
        "address": clinic.address,
        "phone": clinic.phone,
        "latitude": float(clinic.latitude),
        "longitude": float(clinic.longitude),
    }


def _message(case: EmergencyCase) -> str:
    if case.status == EmergencyStatus.SEARCHING:
        return _("Looking for a doctor near you…")
    if case.status == EmergencyStatus.ACCEPTED:
        return _("%(doctor)s at %(clinic)s will see you at %(time)s.") % {
            "doctor": case.accepted_doctor.name,
            "clinic": case.accepted_clinic.display_name,
            "time": f"{local(case.appointment.start, case.accepted_clinic):%H:%M}"
            if case.appointment
            else "",
        }
    if case.status == EmergencyStatus.UNAVAILABLE:
        clinic = case.nearest_clinic
        return _(
            "No doctor can take your emergency right now. Please call %(clinic)s on "
            "%(phone)s, or go to the nearest hospital's stomatology emergency."
        ) % {
            "clinic": clinic.display_name if clinic else "",
            "phone": clinic.phone if clinic else "",
        }
    return case.get_status_display()


def present(case: EmergencyCase) -> dict:
    case = EmergencyCase.objects.select_related(
        "accepted_doctor", "accepted_clinic", "nearest_clinic", "appointment"
    ).get(pk=case.pk)
    return {
        "id": case.public_id,
        "status": case.status,
        "status_display": case.get_status_display(),
        "message": _message(case),
        "pain_level": case.pain_level,
        "notified_doctor_ids": [
            d.doctor.public_id for d in case.dispatches.select_related("doctor").order_by("pk")
        ],
        "doctor_id": case.accepted_doctor.public_id if case.accepted_doctor else None,
        "doctor_name": case.accepted_doctor.name if case.accepted_doctor else None,
        "clinic": _place(case.accepted_clinic),
        "nearest_clinic": _place(case.nearest_clinic),
        "appointment_start": local(case.appointment.start, case.accepted_clinic)
        if case.appointment
        else None,
        "eta_minutes": case.eta_minutes,
        "created_at": case.created_at,
    }


def access_case(*, actor, case_id) -> EmergencyCase:
    """The patient's own family, a doctor who was asked, or staff of the clinic that took it."""
    missing = NotFound(_("Emergency not found."), code="emergency_not_found")
    try:
        case = (
            EmergencyCase.objects.filter(public_id=UUID(str(case_id)))
            .select_related("patient__account")
            .first()
        )
    except ValueError:
        raise missing from None
    if case is None:
        raise missing
    if actor.is_patient:
        if case.patient.account.owner_id == actor.pk:
            return case
        raise missing
    doctor = clinics.doctor_of_user(actor)
    if doctor is not None and case.dispatches.filter(doctor=doctor).exists():
        return case
    allowed = clinics.staff_clinic_ids(actor)
    if case.accepted_clinic_id and (allowed is None or case.accepted_clinic_id in allowed):
        return case
    raise missing


@router.post(
    "/emergencies", response={201: EmergencyOut, **errors(400, 401, 403, 404, 409, 413, 422)}
)
def request_help(request, payload: EmergencyIn):
    """Acute toothache: the nearest doctors on duty are asked at once."""
    account = patient_access.account_of(request.user)
    patient = (
        patient_access.access_family_member_by_id(actor=request.user, patient_id=payload.patient_id)
        if payload.patient_id
        else patient_access.holder(account)
    )
    case = emergency.emergency_request(
        actor=request.user,
        patient=patient,
        pain_level=payload.pain_level,
        symptoms=payload.symptoms,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(201, present(case))


@router.get("/emergencies/{case_id}", response={200: EmergencyOut, **errors(401, 404)})
def get_case(request, case_id: str):
    """The live status: searching, accepted by whom and where, or no doctor available."""
    return present(access_case(actor=request.user, case_id=case_id))


@router.post("/emergencies/{case_id}/accept", response={200: EmergencyOut, **errors(401, 404, 409)})
def accept(request, case_id: str):
    """A doctor who was asked takes the case; 409 `already_taken` when another was first."""
    try:
        UUID(str(case_id))
    except ValueError:
        raise NotFound(_("Emergency not found."), code="emergency_not_found") from None
    return present(emergency.emergency_accept(actor=request.user, case_id=case_id))
