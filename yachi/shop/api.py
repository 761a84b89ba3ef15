"""The mall in the JSON API: catalogue, cart, checkout and the buyer's orders."""

from django.http import HttpResponse
from ninja import Header, Query, Router
from ninja import Status as HttpStatus

from yachi.clinics import facade as clinics
from yachi.core.schemas import errors
from yachi.shop import access, selectors, services
from yachi.shop.schemas import (
    CancelIn,
    CartAddIn,
    CartOut,
    CartQuantityIn,
    CategoryOut,
    CategoryQuery,
    CheckoutIn,
    OrderListQuery,
    OrderOut,
    ProductDetailQuery,
    ProductOut,
    ProductQuery,
)

router = Router(tags=["mall"])

WRITE_ERRORS = errors(400, 401, 403, 404, 409, 413, 422)


def _clinic(clinic_id):
    return clinics.clinic_by_id(clinic_id) if clinic_id else None


def product_out(product) -> dict:
    skus = list(product.skus.all())
    return {
        "id": product.public_id,
        "name": product.name,
        "description": product.description,
        "category": product.category,
        "category_display": product.get_category_display(),
        "from_price_fen": min((s.price_fen for s in skus), default=0),
        "image_url": product.image_url or None,
        "thumbnail_url": product.thumbnail_url or None,
        "sold_out": selectors.sold_out(skus) if skus and skus[0].in_stock is not None else None,
        "skus": [
            {
                "id": s.public_id,
                "code": s.code,
                "name": s.name,
                "price_fen": s.price_fen,
                "in_stock": getattr(s, "in_stock", None),
            }
            for s in skus
        ],
    }


def cart_out(user) -> dict:
    cart = selectors.cart_of(user=user)
    return {
        "lines": [
            {
                "sku_id": item.sku.public_id,
                "product_id": item.sku.product.public_id,
                "name": item.sku.product.name,
                "variant": item.sku.name,
                "unit_price_fen": item.sku.price_fen,
                "quantity": item.quantity,
                "amount_fen": item.amount_fen,
                "on_sale": item.sku.is_active and item.sku.product.is_active,
            }
            for item in cart.items
        ],
        "count": cart.count,
        "subtotal_fen": cart.subtotal_fen,
    }


def order_out(order) -> dict:
    intent = getattr(order, "payment", None)
    return {
        "id": order.public_id,
        "number": order.number,
        "status": order.status,
        "status_display": order.get_status_display(),
        "kind": order.kind,
        "clinic": {"id": order.clinic.public_id, "name": order.clinic.display_name},
        "fulfilment": order.fulfilment,
        "recipient_name": order.recipient_name,
        "recipient_phone": order.recipient_phone,
        "address": order.address,
        "lines": [
            {
                "sku_id": line.sku.public_id if line.sku_id else None,
                "name": line.name,
                "unit_price_fen": line.unit_price_fen,
                "quantity": line.quantity,
                "amount_fen": line.amount_fen,
            }
            for line in order.lines.all()
        ],
        "subtotal_fen": order.subtotal_fen,
        "discount_fen": order.discount_fen,
        "points_used": order.points_used,
        "points_fen": order.points_fen,
        "total_fen": order.total_fen,
        "created_at": order.created_at,
        "paid_at": order.paid_at,
        "closed_at": order.closed_at,
        "close_reason": order.close_reason,
        "can_cancel": services.buyer_may_cancel(order),
        **_pickup(order),
        "payment": (
            {
                "id": intent.public_id,
                "status": intent.status,
                "amount_fen": intent.amount_fen,
                "expires_at": intent.expires_at,
            }
            if intent is not None
            else None
        ),
    }


def _pickup(order) -> dict:
    if not order.pickup_code or order.status not in services.PICKUP_OPEN:
        return {"pickup_code": None, "pickup_qr": None}
    return {
        "pickup_code": order.pickup_code,
        "pickup_qr": services.PICKUP_QR_PREFIX + order.pickup_code,
    }


def _full_order(order):
    order = selectors.orders_with_lines([order.pk])[0]
    return order_out(selectors.order_detail(order))


@router.get("/shop/products", auth=None, response={200: list[ProductOut], **errors(400, 404, 422)})
def list_products(request, query: Query[ProductQuery]):
    """Care products on sale, with their SKUs; give `clinic_id` for what that clinic sells
    and each SKU's stock there, `q` to search names and descriptions."""
    products = selectors.products_list(
        category=query.category,
        clinic=_clinic(query.clinic_id),
        search=selectors.search_term(query.q),
    )
    return [product_out(p) for p in products]


@router.get(
    "/shop/categories", auth=None, response={200: list[CategoryOut], **errors(400, 404, 422)}
)
def list_categories(request, query: Query[CategoryQuery]):
    """The categories with something on sale (at `clinic_id`): empty ones are left out."""
    categories = selectors.categories_on_sale(clinic=_clinic(query.clinic_id))
    return [{"code": code, "name": str(name)} for code, name in categories]


@router.get(
    "/shop/products/{product_id}", auth=None, response={200: ProductOut, **errors(400, 404, 422)}
)
def get_product(request, product_id: str, query: Query[ProductDetailQuery]):
    product = access.product_by_id(product_id)
    return product_out(selectors.product_detail(product=product, clinic=_clinic(query.clinic_id)))


@router.get("/shop/cart", response={200: CartOut, **errors(401, 403)})
def get_cart(request):
    services.require_patient(request.user)
    return cart_out(request.user)


@router.post("/shop/cart", response={200: CartOut, **WRITE_ERRORS})
def add_to_cart(request, payload: CartAddIn):
    """Add `quantity` of a SKU (up to 99 of one item)."""
    sku = access.sku_by_id(payload.sku_id)
    services.cart_add(
        user=request.user,
        sku=sku,
        quantity=payload.quantity,
        clinic=_clinic(payload.clinic_id),
    )
    return cart_out(request.user)


@router.put("/shop/cart/{sku_id}", response={200: CartOut, **WRITE_ERRORS})
def set_cart_quantity(request, sku_id: str, payload: CartQuantityIn):
    sku = access.cart_sku_by_id(actor=request.user, sku_id=sku_id)
    services.cart_set_quantity(
        user=request.user, sku=sku, quantity=payload.quantity, clinic=_clinic(payload.clinic_id)
    )
    return cart_out(request.user)


@router.delete(
    "/shop/cart/{sku_id}", response={200: CartOut, **errors(400, 401, 403, 404, 409, 422)}
)
def remove_from_cart(request, sku_id: str):
    sku = access.cart_sku_by_id(actor=request.user, sku_id=sku_id)
    services.cart_remove(user=request.user, sku=sku)
    return cart_out(request.user)


@router.post("/shop/checkout", response={201: OrderOut, **WRITE_ERRORS})
def checkout(
    request,
    response: HttpResponse,
    payload: CheckoutIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Order what is in the cart, to pick up at `clinic_id` or be delivered.

    Stock is reserved at once; 409 `out_of_stock` names an item the clinic cannot
    supply. Unless a coupon and points cover it all, `payment` is what to pay (within
    its `expires_at`, or the order is closed and the stock given back). Send an
    `Idempotency-Key` header so that a retried request returns the first order.
    """
    clinic = clinics.clinic_by_id(payload.clinic_id)
    done = services.order_checkout(
        buyer=request.user,
        clinic=clinic,
        fulfilment=payload.fulfilment,
        recipient_name=payload.recipient_name,
        recipient_phone=payload.recipient_phone,
        address=payload.address,
        coupon_id=payload.coupon_id,
        points=payload.points,
        idempotency_key=idempotency_key,
    )
    if done.replayed:
        response["Idempotent-Replayed"] = "true"
    return HttpStatus(201, _full_order(done.order))


@router.get("/shop/orders", response={200: list[OrderOut], **errors(401, 403, 422)})
def list_orders(request, query: Query[OrderListQuery]):
    """The caller's mall orders, newest first."""
    services.require_patient(request.user)
    return [order_out(o) for o in selectors.orders_of_buyer(user=request.user, limit=query.limit)]


@router.get("/shop/orders/{order_id}", response={200: OrderOut, **errors(401, 404)})
def get_order(request, order_id: str):
    return _full_order(access.access_order_by_id(actor=request.user, order_id=order_id))


@router.post("/shop/orders/{order_id}/cancel", response={200: OrderOut, **WRITE_ERRORS})
def cancel_order(request, order_id: str, payload: CancelIn | None = None):
    """Unpaid: the order is closed. Paid and not yet prepared: refunded in full.
    Later, 409 `order_not_cancellable`: the clinic can help."""
    order = access.access_order_by_id(actor=request.user, order_id=order_id)
    order = services.order_cancel(
        actor=request.user, order=order, reason=payload.reason if payload else ""
    )
    return _full_order(order)
