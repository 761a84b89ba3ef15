from datetime import date, datetime
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from ninja import Schema
from pydantic import Field

from yachi.booking.policy import patient_may_change
from yachi.core.money import fen_to_yuan
from yachi.core.schemas import InputSchema, IsoAwareDatetime, LocalDatetime, PublicOut, Text


def local(moment: datetime, clinic) -> datetime:
    return moment.astimezone(ZoneInfo(clinic.timezone))


class SlotOut(Schema):
    start: datetime
    end: datetime


class DayOut(Schema):
    date: date
    level: str
    working: bool
    slots: list[SlotOut]


class AvailabilityOut(Schema):
    doctor_id: UUID
    service_id: UUID
    clinic_id: UUID
    timezone: str
    days: list[DayOut]


class EarliestOut(Schema):
    """ "Any doctor, earliest time": null doctor and times when nothing is free."""

    service_id: UUID
    clinic_id: UUID
    timezone: str
    doctor: "NamedRef | None"
    start: datetime | None
    end: datetime | None


class AppointmentIn(InputSchema):
    doctor_id: UUID
    service_id: UUID
    start: IsoAwareDatetime
    patient_id: UUID | None = None
    note: Text = Field("", max_length=500)


class FamilyAppointmentIn(InputSchema):
    doctor_id: UUID
    service_id: UUID
    start: IsoAwareDatetime
    patient_ids: list[UUID] = Field(min_length=1, max_length=6)
    note: Text = Field("", max_length=500)


class RescheduleIn(InputSchema):
    start: IsoAwareDatetime
    # Another doctor of the clinic who provides the service; the same one when left out.
    doctor_id: UUID | None = None


class CancelIn(InputSchema):
    reason: Text = Field("", max_length=200)


class NamedRef(Schema):
    id: UUID
    name: str


class DepositOut(Schema):
    payment_id: UUID
    amount_fen: int
    status: str
    expires_at: LocalDatetime


class AppointmentOut(PublicOut):
    status: str
    status_display: str
    start: datetime
    end: datetime
    clinic: NamedRef
    doctor: NamedRef
    service: NamedRef
    patient: NamedRef
    chair: str | None = Field(description="The dental chair; none for a video consultation.")
    kind: str = Field(
        description="`in_person`, or `video`: a video consultation, joined from "
        "`GET /api/v1/appointments/{id}/video`."
    )
    price: Decimal
    reschedule_count: int
    can_change: bool
    created_at: LocalDatetime
    # Present for services with a deposit: pay it (payments API) to confirm the time.
    deposit: DepositOut | None = None

    @staticmethod
    def resolve_deposit(obj):
        from yachi.booking.deposits import deposit_asked_fen, deposit_of

        if not deposit_asked_fen(obj):
            return None

        intent = deposit_of(obj)
        if intent is None:
            return None
        return {
            "payment_id": intent.public_id,
            "amount_fen": intent.amount_fen,
            "status": intent.status,
            "expires_at": intent.expires_at,
        }

    @staticmethod
    def resolve_status_display(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_start(obj):
        return local(obj.start, obj.clinic)

    @staticmethod
    def resolve_end(obj):
        return local(obj.end, obj.clinic)

    @staticmethod
    def resolve_created_at(obj):
        return local(obj.created_at, obj.clinic)

    @staticmethod
    def resolve_clinic(obj):
        return {"id": obj.clinic.public_id, "name": obj.clinic.display_name}

    @staticmethod
    def resolve_doctor(obj):
        return {"id": obj.doctor.public_id, "name": obj.doctor.name}

    @staticmethod
    def resolve_service(obj):
        return {"id": obj.service.public_id, "name": obj.service.display_name}

    @staticmethod
    def resolve_patient(obj):
        return {"id": obj.patient.public_id, "name": obj.patient.display_name}

    @staticmethod
    def resolve_chair(obj):
        return obj.chair.name if obj.chair_id else None

    @staticmethod
    def resolve_kind(obj):
        return obj.service.kind

    @staticmethod
    def resolve_price(obj):
        return fen_to_yuan(obj.price_fen)

    @staticmethod
    def resolve_can_change(obj):
        return patient_may_change(obj)
