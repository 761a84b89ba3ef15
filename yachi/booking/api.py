import json
from typing import Literal
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router
from ninja import Status as HttpStatus
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from yachi.booking import deposits, lookups, selectors, services
from yachi.booking.access import access_appointment_by_id
from yachi.booking.choices import Channel, Status
from yachi.booking.schemas import (
    AppointmentIn,
    AppointmentOut,
    AvailabilityOut,
    CancelIn,
    EarliestOut,
    FamilyAppointmentIn,
    RescheduleIn,
)
from yachi.clinics import facade as clinics
from yachi.core.errors import InvalidInput, PermissionDenied
from yachi.core.schemas import InputSchema, IsoDate, Line, errors
from yachi.patients import facade as patients

router = Router(tags=["booking"])

WRITE_ERRORS = errors(400, 401, 403, 404, 409, 413, 422)
# The lifecycle steps read no body.
STEP_ERRORS = errors(400, 401, 403, 404, 409, 422)


class AvailabilityQuery(InputSchema):
    service_id: Line
    days: int = Field(7, ge=1, le=selectors.MAX_DAYS)
    party_size: int = Field(1, ge=1, le=6)


@router.get(
    "/doctors/{doctor_id}/availability",
    auth=None,
    response={200: AvailabilityOut, **errors(404, 422)},
)
def doctor_availability(request, doctor_id: str, query: Query[AvailabilityQuery]):
    """Bookable slots and the day's colour (green / yellow / red) for the next days.

    `party_size` > 1 offers only starts where that many people can be seen back to back.
    """
    read = lookups.availability_read(
        service_id=query.service_id,
        doctor_id=doctor_id,
        days=query.days,
        party_size=query.party_size,
    )
    if not read.works_here:
        raise InvalidInput(_("This doctor does not work at this clinic."), code="doctor_not_here")
    if not read.skilled:
        raise InvalidInput(
            _("This doctor does not provide this service."), code="doctor_not_qualified"
        )
    service, doctor, days = read.service, read.doctor, read.days()
    clinic = service.clinic
    # Written straight to JSON, as Ninja would write AvailabilityOut (its encoder's form
    # of each moment): validating a week of slots against the schema again cost as much
    # as the warm read itself.
    answer = {
        "doctor_id": str(doctor.public_id),
        "service_id": str(service.public_id),
        "clinic_id": str(clinic.public_id),
        "timezone": clinic.timezone,
        "days": [
            {
                "date": day.day.isoformat(),
                "level": day.level,
                "working": day.working,
                "slots": [{"start": _moment(s), "end": _moment(e)} for s, e in day.slots],
            }
            for day in days
        ],
    }
    return HttpResponse(json.dumps(answer), content_type="application/json; charset=utf-8")


_ENCODER = NinjaJSONEncoder()


def _moment(value) -> str:
    """A moment as Ninja's encoder writes it. Slots fall on whole minutes of the clinic's
    zone, where that is the plain ISO form; the encoder's own path, with its checks for
    every other type first, is kept for what it rewrites (microseconds, UTC)."""
    text = value.isoformat()
    if value.microsecond or text.endswith("+00:00"):
        return _ENCODER.default(value)
    return text


class EarliestQuery(InputSchema):
    days: int = Field(7, ge=1, le=selectors.MAX_DAYS)
    party_size: int = Field(1, ge=1, le=6)


@router.get(
    "/services/{service_id}/earliest",
    auth=None,
    response={200: EarliestOut, **errors(404, 422)},
)
def earliest_time(request, service_id: str, query: Query[EarliestQuery]):
    """Any doctor, earliest time: the first free start of the service at its clinic among
    every doctor who provides it (`party_size` > 1 for people back to back)."""
    service = clinics.service_by_id(service_id)
    rows = selectors.service_availability(
        service=service, days=query.days, party_size=query.party_size
    )
    earliest = selectors.earliest_slot(rows=rows)
    clinic = service.clinic
    return {
        "service_id": service.public_id,
        "clinic_id": clinic.public_id,
        "timezone": clinic.timezone,
        "doctor": (
            {"id": earliest.doctor.public_id, "name": earliest.doctor.name} if earliest else None
        ),
        "start": earliest.start if earliest else None,
        "end": earliest.end if earliest else None,
    }


def _patients_for(actor, patient_ids) -> list:
    if not actor.is_patient:
        raise PermissionDenied(
            _("Staff book appointments in the clinic console."), code="patients_only"
        )
    if not patient_ids:
        return [patients.own_holder(actor)]
    return [patients.access_family_member_by_id(actor=actor, patient_id=pid) for pid in patient_ids]


def _book(request, response, payload, patient_ids, idempotency_key):
    service = clinics.service_by_id(payload.service_id)
    doctor = clinics.doctor_for_service(payload.doctor_id, service)
    booked = services.appointments_book(
        actor=request.user,
        doctor=doctor,
        service=service,
        start=payload.start,
        patients=_patients_for(request.user, patient_ids),
        channel=Channel.API,
        note=payload.note,
        idempotency_key=idempotency_key,
    )
    if booked.replayed:
        response["Idempotent-Replayed"] = "true"
    return booked.appointments


@router.post("/appointments", response={201: AppointmentOut, **WRITE_ERRORS})
def book_appointment(
    request,
    response: HttpResponse,
    payload: AppointmentIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Book a slot for the caller or a family member (`patient_id`).

    409 `slot_taken` when someone else got the time first. Send an `Idempotency-Key`
    header so that a retried request returns the first result instead of booking again.
    """
    patient_ids = [payload.patient_id] if payload.patient_id else []
    return HttpStatus(201, _book(request, response, payload, patient_ids, idempotency_key)[0])


@router.post("/appointments/family", response={201: list[AppointmentOut], **WRITE_ERRORS})
def book_family(
    request,
    response: HttpResponse,
    payload: FamilyAppointmentIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Book several family members back to back with one doctor: all or nothing."""
    return HttpStatus(201, _book(request, response, payload, payload.patient_ids, idempotency_key))


class AppointmentListQuery(InputSchema):
    scope: Literal["upcoming", "past", "all"] = "all"
    limit: int = Field(100, ge=1, le=500)
    date: IsoDate | None = None


@router.get("/appointments", response={200: list[AppointmentOut], **errors(401, 422)})
def list_appointments(request, query: Query[AppointmentListQuery]):
    """Patients: their own and their family's. Doctors: their own.
    Front desk and managers: one day (`date`, default today) at their clinics."""
    user = request.user
    if user.is_patient:
        account = patients.account_of(user)
        appointments = selectors.appointments_of_account(
            account_id=account.pk, scope=query.scope, limit=query.limit
        )
    elif (doctor := clinics.doctor_of_user(user)) is not None:
        appointments = selectors.appointments_of_doctor(
            doctor_id=doctor.pk, scope=query.scope, limit=query.limit
        )
    else:
        appointments = []
        for clinic in clinics.staff_clinics(user):
            day = query.date or timezone.now().astimezone(ZoneInfo(clinic.timezone)).date()
            appointments += selectors.appointments_of_clinic_day(clinic=clinic, day=day)
        appointments = appointments[: query.limit]
    # Deposits shown with each appointment come in one query, not one per appointment.
    return deposits.deposits_attach(appointments)


@router.get("/appointments/{appointment_id}", response={200: AppointmentOut, **errors(401, 404)})
def get_appointment(request, appointment_id: str):
    return access_appointment_by_id(actor=request.user, appointment_id=appointment_id)


@router.post(
    "/appointments/{appointment_id}/cancel", response={200: AppointmentOut, **WRITE_ERRORS}
)
def cancel_appointment(request, appointment_id: str, payload: CancelIn | None = None):
    appointment = access_appointment_by_id(actor=request.user, appointment_id=appointment_id)
    return services.appointment_cancel(
        actor=request.user, appointment=appointment, reason=payload.reason if payload else ""
    )


@router.post(
    "/appointments/{appointment_id}/reschedule", response={200: AppointmentOut, **WRITE_ERRORS}
)
def reschedule_appointment(request, appointment_id: str, payload: RescheduleIn):
    """Move to another free time (clinic policy limits how often), with the same doctor or,
    with `doctor_id`, another one at the clinic who provides the service."""
    appointment = access_appointment_by_id(actor=request.user, appointment_id=appointment_id)
    doctor = clinics.doctor_by_id(payload.doctor_id) if payload.doctor_id else None
    return services.appointment_reschedule(
        actor=request.user, appointment=appointment, start=payload.start, doctor=doctor
    )


def _advance(request, appointment_id: str, to_status: str):
    appointment = access_appointment_by_id(actor=request.user, appointment_id=appointment_id)
    return services.appointment_advance(
        actor=request.user, appointment=appointment, to_status=to_status
    )


@router.post("/appointments/{appointment_id}/arrive", response={200: AppointmentOut, **STEP_ERRORS})
def mark_arrived(request, appointment_id: str):
    """Staff: the patient has arrived."""
    return _advance(request, appointment_id, Status.ARRIVED)


@router.post("/appointments/{appointment_id}/start", response={200: AppointmentOut, **STEP_ERRORS})
def start_treatment(request, appointment_id: str):
    """Staff: treatment has begun."""
    return _advance(request, appointment_id, Status.IN_TREATMENT)


@router.post(
    "/appointments/{appointment_id}/complete", response={200: AppointmentOut, **STEP_ERRORS}
)
def complete(request, appointment_id: str):
    """Staff: the visit is over."""
    return _advance(request, appointment_id, Status.COMPLETED)


@router.post(
    "/appointments/{appointment_id}/no-show", response={200: AppointmentOut, **STEP_ERRORS}
)
def mark_no_show(request, appointment_id: str):
    """Staff: the patient did not come."""
    return _advance(request, appointment_id, Status.NO_SHOW)
