from uuid import UUID

from ninja import Schema

from yachi.core.schemas import LocalDatetime


class ReasonOut(Schema):
    code: str
    value: int
    text: str


class ModelOut(Schema):
    version: int
    scope: str  # "clinic": the clinic's own; "chain": the chain-wide fallback
    trained_at: LocalDatetime


class NoShowRiskOut(Schema):
    appointment_id: UUID
    score: float  # probability of a no-show, 0–1
    percent: int
    level: str  # low / medium / high
    threshold_percent: int
    reasons: list[ReasonOut]
    model: ModelOut | None
    computed_at: LocalDatetime
    extra_reminder_sent: bool
    call_flagged: bool
