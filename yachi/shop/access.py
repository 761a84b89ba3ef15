"""The only ways a request reaches a product, a SKU or an order.

Another person's order, another clinic's order and an order that does not exist all
get the same answer.
"""

from yachi.clinics import facade as clinics
from yachi.core.models import as_public_id
from yachi.shop.errors import OrderNotFound, PickupCodeNotFound, ProductNotFound, SkuNotFound
from yachi.shop.models import Order, Product, Sku
from yachi.shop.services import ORDER_ROLES, pickup_code_clean


def product_by_id(product_id, *, include_inactive: bool = False) -> Product:
    public_id = as_public_id(product_id)
    products = Product.objects.all() if include_inactive else Product.objects.filter(is_active=True)
    product = products.filter(public_id=public_id).first() if public_id else None
    if product is None:
        raise ProductNotFound()
    return product


def sku_by_id(sku_id, *, include_inactive: bool = False) -> Sku:
    public_id = as_public_id(sku_id)
    skus = Sku.objects.select_related("product")
    if not include_inactive:
        skus = skus.filter(is_active=True, product__is_active=True)
    sku = skus.filter(public_id=public_id).first() if public_id else None
    if sku is None:
        raise SkuNotFound()
    return sku


def cart_sku_by_id(*, actor, sku_id) -> Sku:
    """A SKU as a line of the caller's cart: also one taken off sale since it was added."""
    public_id = as_public_id(sku_id)
    sku = (
        Sku.objects.select_related("product").filter(public_id=public_id).first()
        if public_id
        else None
    )
    if sku is None:
        raise SkuNotFound()
    return sku


def access_order_by_id(*, actor, order_id) -> Order:
    """The buyer's own order."""
    public_id = as_public_id(order_id)
    order = (
        Order.objects.select_related("clinic", "buyer")
        .filter(public_id=public_id, buyer_id=actor.pk)
        .first()
        if public_id and getattr(actor, "is_patient", False)
        else None
    )
    if order is None:
        raise OrderNotFound()
    return order


def access_clinic_order_by_id(*, actor, order_id) -> Order:
    """An order of one of the staff member's clinics (front desk, managers)."""
    public_id = as_public_id(order_id)
    if public_id is None or getattr(actor, "role", None) not in ORDER_ROLES:
        raise OrderNotFound()
    order = Order.objects.select_related("clinic", "buyer").filter(public_id=public_id).first()
    allowed = clinics.staff_clinic_ids(actor)
    if order is None or (allowed is not None and order.clinic_id not in allowed):
        raise OrderNotFound()
    return order


def access_pickup_order(*, actor, clinic, code) -> Order:
    """The pick-up order of ``clinic`` (one of the actor's) with this code.

    Codes of other clinics' orders are not found here: the goods wait where they were
    ordered.
    """
    code = pickup_code_clean(code)
    if not code or getattr(actor, "role", None) not in ORDER_ROLES:
        raise PickupCodeNotFound()
    allowed = clinics.staff_clinic_ids(actor)
    if allowed is not None and clinic.pk not in allowed:
        raise PickupCodeNotFound()
    order = (
        Order.objects.select_related("clinic", "buyer")
        .filter(pickup_code=code, clinic=clinic)
        .first()
    )
    if order is None:
        raise PickupCodeNotFound()
    return order
