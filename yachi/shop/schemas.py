from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, StrictInt

from yachi.core.schemas import InputSchema, Line, LocalDatetime, Text
from yachi.shop.choices import Category


class NamedRef(Schema):
    id: UUID
    name: str


class SkuOut(Schema):
    id: UUID
    code: str
    name: str
    price_fen: int
    in_stock: int | None = Field(None, description="at the clinic asked for (`clinic_id`)")


class ProductOut(Schema):
    id: UUID
    name: str
    description: str
    category: str
    category_display: str
    from_price_fen: int
    image_url: str | None = Field(None, description="the product page's picture, or null")
    thumbnail_url: str | None = Field(None, description="a square picture for lists, or null")
    sold_out: bool | None = Field(
        None, description="nothing left at the clinic asked for (`clinic_id`); null without one"
    )
    skus: list[SkuOut]


class ProductQuery(InputSchema):
    category: Category | None = None
    clinic_id: UUID | None = Field(
        None, description="only what this clinic sells, with each SKU's stock there"
    )
    q: Line = Field("", max_length=200, description="words in the name or description")


class CategoryOut(Schema):
    code: str
    name: str


class CategoryQuery(InputSchema):
    clinic_id: UUID | None = None


class ProductDetailQuery(InputSchema):
    clinic_id: UUID | None = None


class CartLineOut(Schema):
    sku_id: UUID
    product_id: UUID
    name: str
    variant: str
    unit_price_fen: int
    quantity: int
    amount_fen: int
    on_sale: bool


class CartOut(Schema):
    lines: list[CartLineOut]
    count: int
    subtotal_fen: int


# Quantities and points out of range are refused by the services with a message that
# says what is allowed (422 `invalid_quantity`, `invalid_points`, `points_too_many`),
# not by the schema's generic one.
class CartAddIn(InputSchema):
    sku_id: UUID
    quantity: StrictInt = Field(1, description="1 to 99, and no more than the clinic has")
    clinic_id: UUID | None = Field(
        None, description="the clinic the buyer shops at: refuse more than it has left"
    )


class CartQuantityIn(InputSchema):
    quantity: StrictInt = Field(description="1 to 99, and no more than the clinic has")
    clinic_id: UUID | None = None


class CheckoutIn(InputSchema):
    clinic_id: UUID
    fulfilment: Literal["pickup", "delivery"] = "pickup"
    recipient_name: Line = Field("", max_length=64)
    recipient_phone: Line = Field("", max_length=32)
    address: Line = Field("", max_length=200, description="needed for delivery")
    coupon_id: UUID | None = None
    points: StrictInt = Field(
        0, description="points to pay with: no more than the buyer has and the order needs"
    )


class CancelIn(InputSchema):
    reason: Text = Field("", max_length=80)


class PaymentOut(Schema):
    id: UUID
    status: str
    amount_fen: int
    expires_at: LocalDatetime


class OrderLineOut(Schema):
    sku_id: UUID | None
    name: str
    unit_price_fen: int
    quantity: int
    amount_fen: int


class OrderOut(Schema):
    id: UUID
    number: str
    status: str
    status_display: str
    kind: str
    clinic: NamedRef
    fulfilment: str
    recipient_name: str
    recipient_phone: str
    address: str
    lines: list[OrderLineOut]
    subtotal_fen: int
    discount_fen: int
    points_used: int
    points_fen: int
    total_fen: int
    created_at: LocalDatetime
    paid_at: LocalDatetime | None
    closed_at: LocalDatetime | None
    close_reason: str
    can_cancel: bool
    pickup_code: str | None = Field(
        None,
        description="while a pick-up order waits at the clinic: show it (as `pickup_qr`, "
        "a QR code) at the front desk",
    )
    pickup_qr: str | None = Field(None, description="what the pick-up QR code holds")
    payment: PaymentOut | None


class OrderListQuery(InputSchema):
    limit: int = Field(50, ge=1, le=200)
