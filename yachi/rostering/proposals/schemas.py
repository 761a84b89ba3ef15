from uuid import UUID

from ninja import Field, Schema
from pydantic import conlist

from yachi.core.schemas import InputSchema, IsoDate


class ProposalIn(InputSchema):
    clinic_ids: conlist(UUID, min_length=1, max_length=20) = Field(
        description="The clinics to plan together (a chain's clinics share doctors)."
    )
    week_start: IsoDate = Field(description="The Monday the roster starts on.")
    weeks: int = Field(ge=1, le=2, description="One or two weeks.")


class ObjectivesOut(Schema):
    unmet_demand_minutes: float
    imbalance_hours: float
    overtime_hours: float
    preference_violations: int
    emergency_buffer_minutes: int


class ShiftOut(Schema):
    doctor_id: UUID
    clinic_id: UUID
    chair_id: UUID | None
    start: str
    end: str


class OptionOut(Schema):
    id: UUID
    objectives: ObjectivesOut
    shifts: list[ShiftOut]
    uncovered_appointments: list[str]


class ProposalOut(Schema):
    id: UUID
    status: str = Field(description="queued, running, ready or failed")
    progress: int = Field(description="Percent computed.")
    error: str = ""
    week_start: str
    weeks: int
    clinic_ids: list[UUID]
    options: list[OptionOut]


class PublishedOut(Schema):
    id: UUID
    published_at: str
    days: int
    shifts: int


class SickDayQuery(InputSchema):
    clinic_id: UUID
    doctor_id: UUID = Field(description="The doctor who called in sick.")
    date: IsoDate = Field(description="The day they are off (today or later).")


class SickDayIn(SickDayQuery):
    pass


class SpanOut(Schema):
    start: str
    end: str


class HandoverOut(Schema):
    appointment_id: str
    start: str
    end: str
    doctor_id: UUID = Field(description="The colleague who sees the patient instead.")
    extra_shift: SpanOut | None = Field(
        description="The new shift the colleague works for it; null when already on shift."
    )


class ToMoveOut(Schema):
    appointment_id: str
    start: str
    end: str
    message: str = Field(description="The message drafted for the patient.")


class SickDayOut(Schema):
    doctor_id: UUID
    date: str
    applied: bool = Field(description="Whether the change is recorded (POST) or proposed (GET).")
    handovers: list[HandoverOut]
    to_move: list[ToMoveOut]
