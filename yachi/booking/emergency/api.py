from datetime import datetime
from uuid import UUID

from ninja import Router, Schema, Status
from pydantic import Field, StrictFloat, StrictInt

from yachi.booking.emergency import services as emergency
from yachi.booking.emergency.access import access_case
from yachi.booking.emergency.selectors import present
from yachi.core.schemas import InputSchema, LocalDatetime, Text, errors
from yachi.patients import facade as patients

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


@router.post(
    "/emergencies", response={201: EmergencyOut, **errors(400, 401, 403, 404, 409, 413, 422)}
)
def request_help(request, payload: EmergencyIn):
    """Acute toothache: the nearest doctors on duty are asked at once."""
    account = patients.account_of(request.user)
    patient = (
        patients.access_family_member_by_id(actor=request.user, patient_id=payload.patient_id)
        if payload.patient_id
        else patients.holder(account)
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
    return present(emergency.emergency_accept(actor=request.user, case_id=case_id))
