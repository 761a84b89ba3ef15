from datetime import date
from uuid import UUID

from ninja import Schema
from pydantic import Field

from yachi.core.schemas import InputSchema, IsoDate, Line, LocalDatetime, PublicOut, Text


class ClaimIn(InputSchema):
    insurer: Line = Field(..., max_length=12)
    policy_number: Line = Field(..., min_length=1, max_length=40)
    accident_date: IsoDate
    description: Text = Field("", max_length=500)


class ClaimEventOut(Schema):
    status: str
    note: str
    at: LocalDatetime


class ClaimOut(PublicOut):
    claim_id: UUID
    status: str
    status_display: str
    insurer: str
    insurer_display: str
    clinic: str
    patient: str
    payment_id: UUID
    accident_date: date
    claimed_fen: int
    approved_fen: int | None
    paid_fen: int | None
    insurer_claim_number: str
    insurer_note: str
    submitted_at: LocalDatetime | None
    events: list[ClaimEventOut]

    @staticmethod
    def resolve_claim_id(obj):
        return obj.public_id

    @staticmethod
    def resolve_status_display(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_insurer_display(obj):
        return str(obj.get_insurer_display())

    @staticmethod
    def resolve_clinic(obj):
        return obj.clinic.name

    @staticmethod
    def resolve_patient(obj):
        return obj.patient.name

    @staticmethod
    def resolve_payment_id(obj):
        return obj.payment.public_id

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())
