from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from yachi.core.schemas import InputSchema, Line, LocalDatetime, PublicOut


class PaymentOut(PublicOut):
    purpose: str
    description: str
    amount_fen: int
    refunded_fen: int
    status: str
    method: str
    expires_at: LocalDatetime
    paid_at: LocalDatetime | None
    created_at: LocalDatetime


class MethodOut(Schema):
    method: str
    name: str
    channels: list[str]


class StartIn(InputSchema):
    method: Literal["wechatpay", "alipay", "simulator"]
    channel: Literal["jsapi", "h5", "wap", "page", ""] = ""
    # Where the provider's page sends the payer back: a path on this site only.
    return_url: Line = Field("", max_length=300, pattern=r"^(/[^/\\].*)?$")


class StartOut(Schema):
    kind: str
    params: dict
    url: str


class CouponOut(Schema):
    coupon_id: UUID
    title: str
    discount_fen: int


class CouponIn(InputSchema):
    coupon_id: UUID
