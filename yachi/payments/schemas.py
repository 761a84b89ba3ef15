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


class BillLineOut(Schema):
    """One line of a bill (收费明细): a treatment or a material, how many, at what price."""

    position: int
    kind: Literal["service", "material"]
    kind_display: str
    item_code: str
    description: str
    unit: str
    quantity: int
    unit_fen: int
    total_fen: int
    # The share of the bill's coupon on this line (0 on lines it does not apply to).
    discount_fen: int
    amount_fen: int


class BillOut(Schema):
    """A treatment bill: its lines; ``list_fen`` is their sum, the payment asks for
    ``list_fen - discount_fen``."""

    bill_id: UUID
    list_fen: int
    discount_fen: int
    lines: list[BillLineOut]


class PaymentDetailOut(PaymentOut):
    # A treatment bill's lines; null for a deposit or a mall order.
    bill: BillOut | None = None


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


class ReceiptVisitOut(Schema):
    patient: str
    doctor: str
    service: str
    start: LocalDatetime


class ReceiptOut(Schema):
    """A receipt (收据) of a paid payment: what was received, not a tax invoice (发票)."""

    number: str
    clinic: str
    clinic_address: str
    payer: str
    purpose: str
    description: str
    list_fen: int
    discount_fen: int
    paid_fen: int
    refunded_fen: int
    kept_fen: int
    method: str
    paid_at: LocalDatetime
    status: str
    visit: ReceiptVisitOut | None
    # What was charged, line by line (empty for a deposit or a mall order).
    lines: list[BillLineOut]
    # The printable page in the app, and the file to keep.
    url: str
    download_url: str
