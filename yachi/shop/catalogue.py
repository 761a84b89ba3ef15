"""Managing what the mall sells: products and SKUs (managers), stock per clinic.

Stock counts change only by conditional updates (``quantity + delta >= 0``), the same
way checkout takes from them, so a stock adjustment and a sale never overwrite each
other. Setting an absolute count is for stocktakes.
"""

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput, PermissionDenied
from yachi.core.roles import Role
from yachi.shop.choices import Category
from yachi.shop.errors import StockNegative
from yachi.shop.models import Product, Sku, Stock

CATALOGUE_ROLES = (Role.MANAGER, Role.ADMIN)
STOCK_ROLES = (Role.FRONT_DESK, Role.MANAGER, Role.ADMIN)
MAX_STOCK = 100_000
MAX_PRICE_FEN = 10_000_000
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


def require_catalogue_manager(actor) -> None:
    if getattr(actor, "role", None) not in CATALOGUE_ROLES:
        raise PermissionDenied(
            _("The product catalogue is edited by clinic managers."), code="managers_only"
        )


def require_stock_keeper(actor) -> None:
    if getattr(actor, "role", None) not in STOCK_ROLES:
        raise PermissionDenied(
            _("Stock is kept by the front desk and managers."), code="front_desk_only"
        )


def _text(value, limit: int, *, required: bool, label: str) -> str:
    value = (value or "").strip() if isinstance(value, str | type(None)) else None
    if value is None or len(value) > limit or (required and not value):
        raise InvalidInput(
            _("%(field)s: 1 to %(limit)d characters.") % {"field": label, "limit": limit}
            if required
            else _("%(field)s: at most %(limit)d characters.") % {"field": label, "limit": limit},
            code="invalid_text",
        )
    return value


def product_save(
    *,
    actor,
    product: Product | None = None,
    name: str,
    name_en: str = "",
    description: str = "",
    category: str,
    is_active: bool = True,
    sort: int = 100,
) -> Product:
    require_catalogue_manager(actor)
    values = {
        "name": _text(name, 64, required=True, label=_("Name")),
        "name_en": _text(name_en, 64, required=False, label=_("English name")),
        "description": _text(description, 2000, required=False, label=_("Description")),
        "is_active": bool(is_active),
    }
    if category not in Category.values:
        raise InvalidInput(_("Choose a category."), code="invalid_category")
    if not isinstance(sort, int) or not 0 <= sort <= 32767:
        raise InvalidInput(_("The order must be a number from 0 to 32767."), code="invalid_sort")
    values.update(category=category, sort=sort)
    with transaction.atomic():
        if product is None:
            product = Product.objects.create(**values)
        else:
            Product.objects.filter(pk=product.pk).update(**values)
            product.refresh_from_db()
        _audit_catalogue(actor, "product", product.public_id, values)
        return product


def _audit_catalogue(actor, object_type: str, object_id, values: dict) -> None:
    audit_record(
        action=AuditAction.CATALOGUE_CHANGED,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        details={
            k: v
            for k, v in values.items()
            if k in ("name", "code", "price_fen", "is_active", "image")
        },
    )


def sku_save(
    *,
    actor,
    product: Product,
    sku: Sku | None = None,
    code: str,
    name: str,
    price_fen: int,
    is_active: bool = True,
) -> Sku:
    """Prices of SKUs change future orders only: order lines keep the price paid."""
    require_catalogue_manager(actor)
    code = (code or "").strip().lower() if isinstance(code, str) else ""
    if not _CODE.match(code):
        raise InvalidInput(
            _("The code is 1 to 32 lower-case letters, digits or hyphens."), code="invalid_code"
        )
    if (
        not isinstance(price_fen, int)
        or isinstance(price_fen, bool)
        or not 1 <= price_fen <= MAX_PRICE_FEN
    ):
        raise InvalidInput(_("The price must be more than zero."), code="invalid_price")
    values = {
        "code": code,
        "name": _text(name, 64, required=True, label=_("Variant")),
        "price_fen": price_fen,
        "is_active": bool(is_active),
    }
    try:
        with transaction.atomic():
            if sku is None:
                sku = Sku.objects.create(product=product, **values)
            elif sku.product_id != product.pk:
                raise InvalidInput(_("This variant belongs to another product."))
            else:
                Sku.objects.filter(pk=sku.pk).update(**values)
                sku.refresh_from_db()
            _audit_catalogue(actor, "sku", sku.public_id, values)
    except IntegrityError:
        raise InvalidInput(_("Another item already has this code."), code="code_taken") from None
    return sku


def _count(value, *, allow_negative: bool) -> int:
    low = -MAX_STOCK if allow_negative else 0
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= MAX_STOCK:
        raise InvalidInput(_("Give a whole number of items."), code="invalid_quantity")
    return value


def _row(clinic, sku) -> int:
    row = Stock.objects.filter(clinic=clinic, sku=sku).values_list("pk", flat=True).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return Stock.objects.create(clinic=clinic, sku=sku, quantity=0).pk
    except IntegrityError:  # created by a concurrent first change
        return Stock.objects.values_list("pk", flat=True).get(clinic=clinic, sku=sku)


def stock_adjust(*, actor, clinic, sku: Sku, delta: int) -> int:
    """Goods in (+) or out (−, breakage, samples); never below zero. Returns the count."""
    require_stock_keeper(actor)
    delta = _count(delta, allow_negative=True)
    with transaction.atomic():
        row = _row(clinic, sku)
        if delta and not Stock.objects.filter(pk=row, quantity__gte=-delta).update(
            quantity=F("quantity") + delta
        ):
            raise StockNegative()
        _audit_stock(actor, clinic, sku, {"delta": delta})
        return Stock.objects.values_list("quantity", flat=True).get(pk=row)


def _audit_stock(actor, clinic, sku: Sku, details: dict) -> None:
    audit_record(
        action=AuditAction.STOCK_CHANGED,
        actor=actor,
        object_type="sku",
        object_id=sku.public_id,
        clinic=clinic,
        details=details,
    )


def stock_set(*, actor, clinic, sku: Sku, quantity: int) -> int:
    """A stocktake: the shelf holds ``quantity``."""
    require_stock_keeper(actor)
    quantity = _count(quantity, allow_negative=False)
    with transaction.atomic():
        row = _row(clinic, sku)
        Stock.objects.filter(pk=row).update(quantity=quantity)
        _audit_stock(actor, clinic, sku, {"counted": quantity})
    return quantity
