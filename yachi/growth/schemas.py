from datetime import date
from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from yachi.core.schemas import InputSchema, Line, LocalDatetime, PublicOut, Text
from yachi.growth import describe


class CouponOut(PublicOut):
    code: str
    status: str
    status_display: str
    title: str
    benefit: str
    condition: str
    kind: str
    amount_off_fen: int
    pay_percent: int | None
    applies_to: str
    item_codes: list[str]
    min_spend_fen: int
    valid_from: LocalDatetime | None
    expires_at: LocalDatetime
    issued_at: LocalDatetime
    redeemed_at: LocalDatetime | None

    @staticmethod
    def resolve_status_display(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_title(obj):
        return describe.coupon_title(obj.template)

    @staticmethod
    def resolve_benefit(obj):
        return describe.benefit(obj.template)

    @staticmethod
    def resolve_condition(obj):
        return describe.condition(obj.template)

    @staticmethod
    def resolve_kind(obj):
        return obj.template.kind

    @staticmethod
    def resolve_amount_off_fen(obj):
        return obj.template.amount_off_fen

    @staticmethod
    def resolve_pay_percent(obj):
        return obj.template.pay_percent

    @staticmethod
    def resolve_applies_to(obj):
        return obj.template.applies_to

    @staticmethod
    def resolve_item_codes(obj):
        return list(obj.template.item_codes or [])

    @staticmethod
    def resolve_min_spend_fen(obj):
        return obj.template.min_spend_fen

    @staticmethod
    def resolve_issued_at(obj):
        return obj.created_at


class CouponQuery(InputSchema):
    status: Literal["available", "held", "redeemed", "expired", "void"] | None = None
    limit: int = Field(100, ge=1, le=500)


class PointsEntryOut(PublicOut):
    delta: int
    reason: str
    reason_display: str
    note: str
    reference: str
    balance_after: int
    created_at: LocalDatetime

    @staticmethod
    def resolve_reason_display(obj):
        return obj.get_reason_display()


class PointsOut(Schema):
    balance: int
    value_fen: int = Field(description="what the balance is worth at checkout, in fen")
    expiring_points: int = Field(0, description="points that expire next (0: none)")
    expiring_on: date | None = Field(None, description="the day those points expire")
    entries: list[PointsEntryOut]


class ActivityIn(InputSchema):
    activity: Literal["survey", "share"]
    reference: Line = Field(description="the survey answered, or what was shared")


class ActivityOut(Schema):
    status: Literal["paid", "held"] = Field(
        description="`held`: kept for the clinic's review (no entry yet, added once approved)"
    )
    entry_id: UUID | None
    points: int
    balance: int | None = Field(description="the balance right after this entry")
    replayed: bool = Field(description="true when this activity had already earned its points")


class PointsQuery(InputSchema):
    limit: int = Field(50, ge=1, le=500)


class RewardOut(PublicOut):
    title: str
    benefit: str
    condition: str
    kind: str
    points_cost: int
    valid_days: int | None
    valid_until: LocalDatetime | None
    remaining: int | None = Field(description="coupons left to give; null when unlimited")

    @staticmethod
    def resolve_title(obj):
        return describe.coupon_title(obj)

    @staticmethod
    def resolve_benefit(obj):
        return describe.benefit(obj)

    @staticmethod
    def resolve_condition(obj):
        return describe.condition(obj)

    @staticmethod
    def resolve_remaining(obj):
        if obj.total_quantity is None:
            return None
        return max(0, obj.total_quantity - obj.issued_count)


class RedeemIn(InputSchema):
    idempotency_key: Line | None = Field(
        None, min_length=1, max_length=128, description="or send the Idempotency-Key header"
    )


class CouponIssueIn(InputSchema):
    template_id: UUID
    phone: Line | None = Field(None, min_length=11, max_length=20)
    user_id: UUID | None = None
    reason: Text = Field(min_length=1, max_length=200)
