from uuid import UUID

from ninja import Schema
from pydantic import Field, StrictFloat, StrictInt, model_validator

from yachi.core.schemas import InputSchema, Line


class CheckInIn(InputSchema):
    """Where the patient is, or the code of the clinic's poster."""

    latitude: StrictFloat | StrictInt | None = Field(None, ge=-90, le=90)
    longitude: StrictFloat | StrictInt | None = Field(None, ge=-180, le=180)
    clinic_code: Line | None = Field(None, max_length=12)

    @model_validator(mode="after")
    def _one_way(self):
        located = self.latitude is not None and self.longitude is not None
        if not located and not self.clinic_code:
            raise ValueError("send latitude and longitude, or clinic_code")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("send both latitude and longitude")
        return self


class TicketOut(Schema):
    id: UUID
    number: str
    queue_id: UUID
    status: str
    position: int | None
    estimated_wait_minutes: int | None
    kind: str
    room: str
    doctor: str
    clinic: str


class QueueOut(Schema):
    id: UUID
    doctor: str
    day: str
    waiting: list[TicketOut]
    called: list[TicketOut]
    in_treatment: list[TicketOut]


class WalkInIn(InputSchema):
    phone: Line = Field(max_length=20)
    service_id: UUID
    doctor_id: UUID | None = None
    name: Line = Field("", max_length=64)


class CallIn(InputSchema):
    room: Line = Field("", max_length=32)


class MoveIn(InputSchema):
    before_id: UUID | None = None
    reason: Line = Field(max_length=200)


class TransferIn(InputSchema):
    doctor_id: UUID


class EventsOut(Schema):
    events: list[dict]
    last_seq: int
