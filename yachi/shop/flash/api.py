"""Flash sales for the mini-program: what is on offer, and taking a place."""

from typing import Literal
from uuid import UUID

from ninja import Header, Router, Schema, Status

from yachi.core.errors import PermissionDenied
from yachi.core.idempotency import validate_key
from yachi.core.schemas import LocalDatetime, PublicOut, errors
from yachi.payments.facade import intent_by_reference
from yachi.shop.flash import sale_cache
from yachi.shop.flash.selectors import sale_phase, sales_on_offer
from yachi.shop.flash.services import flash_reserve

router = Router(tags=["flash sales"])


class FlashServiceOut(Schema):
    id: UUID
    name: str
    duration_minutes: int
    voucher_valid_days: int


class FlashSaleOut(PublicOut):
    title: str
    description: str
    clinic_id: UUID
    clinic: str
    price_fen: int
    # The crossed-out price; for a treatment, the service's real price.
    original_price_fen: int
    # `treatment`: paying issues a service voucher (`GET /api/v1/me/vouchers`) to book.
    kind: Literal["product", "treatment"]
    service: FlashServiceOut | None
    stock: int
    remaining: int
    per_person_limit: int
    starts_at: LocalDatetime
    ends_at: LocalDatetime
    payment_window_minutes: int
    phase: Literal["upcoming", "on_sale", "sold_out", "ended"]

    @staticmethod
    def resolve_clinic_id(obj):
        return obj.clinic.public_id

    @staticmethod
    def resolve_clinic(obj):
        return obj.clinic.display_name

    @staticmethod
    def resolve_original_price_fen(obj):
        return obj.usual_price_fen

    @staticmethod
    def resolve_kind(obj):
        return "treatment" if obj.is_treatment else "product"

    @staticmethod
    def resolve_service(obj):
        if obj.service_id is None:
            return None
        return {
            "id": obj.service.public_id,
            "name": obj.service.display_name,
            "duration_minutes": obj.service.duration_minutes,
            "voucher_valid_days": obj.voucher_valid_days,
        }

    @staticmethod
    def resolve_stock(obj):
        return obj.places

    @staticmethod
    def resolve_phase(obj):
        return sale_phase(obj)


class PaymentOut(Schema):
    id: UUID
    status: str
    amount_fen: int
    expires_at: LocalDatetime


class FlashOrderOut(Schema):
    id: UUID
    number: str
    total_fen: int
    status: str
    sale_id: UUID
    payment: PaymentOut


@router.get("/flash-sales", auth=None, response={200: list[FlashSaleOut]})
def list_sales(request):
    """Flash sales running now or starting later (`phase`), with places left."""
    return list(sales_on_offer())


@router.post(
    "/flash-sales/{sale_id}/reserve",
    response={201: FlashOrderOut, **errors(401, 403, 404, 409, 422)},
)
def reserve(
    request,
    sale_id: str,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Take one place: the answer is the order to pay and its payment (pay within
    `payment.expires_at`, or the place goes back on sale).

    409 `sold_out`, `limit_reached` (the per-person limit), `not_started` or `sale_ended`.
    Send an `Idempotency-Key` so that a retried request returns the same order.
    """
    if not request.user.is_patient:
        raise PermissionDenied(code="patients_only")
    key = validate_key(idempotency_key) if idempotency_key is not None else None
    sale = sale_cache.sale_by_id(sale_id)  # a refusal reads no sale row
    reservation = flash_reserve(sale=sale, buyer=request.user, idempotency_key=key)
    order = reservation.order
    intent = getattr(reservation, "payment", None) or intent_by_reference(
        f"shop.order:{order.public_id}"
    )
    return Status(
        201,
        {
            "id": order.public_id,
            "number": order.number,
            "total_fen": order.total_fen,
            "status": order.status,
            "sale_id": sale.public_id,
            "payment": {
                "id": intent.public_id,
                "status": intent.status,
                "amount_fen": intent.amount_fen,
                "expires_at": intent.expires_at,
            },
        },
    )
