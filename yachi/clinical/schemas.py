from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from yachi.core.schemas import InputSchema, IsoDate, Line, LocalDatetime, Text


class FindingOut(Schema):
    id: UUID
    kind: str
    label: str
    explanation: str
    surfaces: str
    seen_on: date
    doctor: str
    clinic: str
    note: str
    withdrawn: bool


class RiskOut(Schema):
    score: float
    level: str
    reasons: list[str]


class ToothOut(Schema):
    tooth: str = Field(description="FDI number: 11–48 permanent, 51–85 primary")
    present: bool
    state: str
    conditions: list[str]
    surfaces: dict[str, str] = Field(
        description='Current finding per surface, e.g. {"O": "caries"}'
    )
    risk: RiskOut | None
    findings: list[FindingOut] = Field(description="Every entry of the tooth, newest first")


class ChartOut(Schema):
    teeth: list[ToothOut]
    dmft: int = Field(description="DMFT of the permanent teeth")
    dmft_primary: int = Field(description="dmft of the primary teeth")
    age_months: int | None


class FindingIn(InputSchema):
    tooth: Line = Field(max_length=2)
    kind: Line = Field(max_length=16)
    surfaces: Line = Field("", max_length=10)
    seen_on: IsoDate | None = None
    note: Text = Field("", max_length=2000)


class PlanItemOut(Schema):
    id: UUID
    tooth: str
    surfaces: str
    service_code: str
    description: str
    unit_fen: int
    quantity: int
    total_fen: int
    status: str
    done_at: LocalDatetime | None


class PlanPhaseOut(Schema):
    position: int
    title: str
    items: list[PlanItemOut]


class PlanOut(Schema):
    id: UUID
    title: str
    status: str
    revision: int = Field(description="Send it back to accept: the plan must not have changed")
    total_fen: int
    clinic: str
    doctor: str
    note: str
    proposed_at: LocalDatetime | None
    accepted_at: LocalDatetime | None
    phases: list[PlanPhaseOut]


class PlanAcceptIn(InputSchema):
    revision: int = Field(ge=1, le=1_000_000)
    signature: Line = Field(
        max_length=64, description="The patient's full name, typed as signature"
    )
    agree: bool = Field(description="The patient ticked the consent to the plan")


class ItemDayOut(Schema):
    day: date
    starts: list[datetime]


class ItemTimesOut(Schema):
    """What booking a procedure presets, and the free starts to choose from."""

    item: UUID
    service: str = Field(description="The clinic's service code the procedure is booked as")
    doctor: UUID = Field(description="The plan's doctor, who does the procedure")
    duration_minutes: int
    days: list[ItemDayOut]


class ItemBookIn(InputSchema):
    start: LocalDatetime = Field(description="One of the starts `…/times` offered")
    note: Text = Field(default="", max_length=500)


class ItemBookedOut(Schema):
    item: UUID
    item_status: str
    appointment: UUID
    appointment_status: str = Field(description="`pending` while a deposit is due, else `booked`")
    start: datetime
    end: datetime
