from datetime import datetime
from uuid import UUID

from ninja import Router, Status
from pydantic import Field, StrictBool

from yachi.booking.choices import WaitlistStatus
from yachi.booking.schemas import AppointmentOut
from yachi.booking.waitlist import services as waitlist
from yachi.booking.waitlist.access import (
    access_waitlist_entry_by_id,
    access_waitlist_offer_by_id,
    waitlist_entries_of,
)
from yachi.clinics import facade as clinics
from yachi.core.schemas import InputSchema, IsoAwareDatetime, LocalDatetime, PublicOut, errors
from yachi.patients import facade as patients

router = Router(tags=["waitlist"])


class WaitlistIn(InputSchema):
    service_id: UUID
    doctor_id: UUID | None = None
    earliest: IsoAwareDatetime
    latest: IsoAwareDatetime
    patient_id: UUID | None = None
    is_emergency: StrictBool = Field(False, description="in pain: offered freed times first")


class OfferOut(PublicOut):
    start: datetime
    expires_at: LocalDatetime
    status: str
    doctor: str

    @staticmethod
    def resolve_doctor(obj):
        return obj.doctor.name


class WaitlistOut(PublicOut):
    patient_id: UUID
    service: str
    doctor: str | None
    earliest: datetime
    latest: datetime
    is_emergency: bool
    status: str
    offers: list[OfferOut]

    @staticmethod
    def resolve_patient_id(obj):
        return obj.patient.public_id

    @staticmethod
    def resolve_service(obj):
        return obj.service.display_name

    @staticmethod
    def resolve_doctor(obj):
        return obj.doctor.name if obj.doctor_id else None

    @staticmethod
    def resolve_offers(obj):
        return list(obj.offers.select_related("doctor").order_by("-created_at"))


@router.post("/waitlist", response={201: WaitlistOut, **errors(400, 401, 404, 409, 413, 422)})
def join(request, payload: WaitlistIn):
    """Wait for a time with a service (and perhaps a doctor) inside a window; a freed time
    is offered in fair order (people in pain first) and held for 15 minutes."""
    account = patients.account_of(request.user)
    patient = (
        patients.access_family_member_by_id(actor=request.user, patient_id=payload.patient_id)
        if payload.patient_id
        else patients.holder(account)
    )
    service = clinics.service_by_id(payload.service_id)
    doctor = clinics.doctor_by_id(payload.doctor_id) if payload.doctor_id else None
    entry = waitlist.waitlist_join(
        actor=request.user,
        patient=patient,
        service=service,
        doctor=doctor,
        earliest=payload.earliest,
        latest=payload.latest,
        is_emergency=payload.is_emergency,
    )
    return Status(201, entry)


@router.get("/waitlist", response={200: list[WaitlistOut], **errors(401)})
def list_entries(request):
    return list(
        waitlist_entries_of(request.user)
        .exclude(status=WaitlistStatus.WITHDRAWN)
        .order_by("-created_at")
    )


@router.delete("/waitlist/{entry_id}", response={204: None, **errors(401, 404)})
def withdraw(request, entry_id: str):
    waitlist.waitlist_withdraw(
        entry=access_waitlist_entry_by_id(actor=request.user, entry_id=entry_id)
    )
    return Status(204, None)


@router.post(
    "/waitlist/offers/{offer_id}/accept", response={200: AppointmentOut, **errors(401, 404, 409)}
)
def accept(request, offer_id: str):
    """Take the offered time (409 `offer_expired` once it has passed to someone else)."""
    return waitlist.offer_accept(
        offer=access_waitlist_offer_by_id(actor=request.user, offer_id=offer_id)
    )


@router.post("/waitlist/offers/{offer_id}/decline", response={204: None, **errors(401, 404)})
def decline(request, offer_id: str):
    waitlist.offer_decline(offer=access_waitlist_offer_by_id(actor=request.user, offer_id=offer_id))
    return Status(204, None)
