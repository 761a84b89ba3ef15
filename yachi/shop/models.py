"""The care-product mall: products, stock per clinic, carts and orders (flash sales in ``flash``)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import EncryptedCharField, EncryptedQuerySet
from yachi.core.models import BaseModel
from yachi.shop.choices import Category, Fulfilment, OrderKind, OrderStatus

# The flash sales' models live in their sub-package; imported here so that Django finds them.
from yachi.shop.flash.models import FlashReservation, FlashSale


class Product(BaseModel):
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    is_active = models.BooleanField(_("on sale"), default=True)
    sort = models.PositiveSmallIntegerField(default=100)
    # The product's picture, re-encoded by ``shop.images`` in two sizes; the names are
    # random and change with every upload, so a browser may cache them for good.
    image = models.CharField(_("image"), max_length=120, blank=True)
    thumbnail = models.CharField(_("thumbnail"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sort", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def image_url(self) -> str:
        return f"/shop/images/{self.image}" if self.image else ""

    @property
    def thumbnail_url(self) -> str:
        return f"/shop/images/{self.thumbnail}" if self.thumbnail else ""


class Sku(BaseModel):
    """One sellable variant of a product (colour, pack size), with its price."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="skus")
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("variant"), max_length=64)
    price_fen = models.PositiveIntegerField(_("price (fen)"))
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
        ordering = ["product", "price_fen"]
        constraints = [
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="sku_price_positive")
        ]

    def __str__(self) -> str:
        return f"{self.product.name} {self.name}"


class Stock(models.Model):
    """How many of a SKU a clinic holds. Changed only by conditional updates."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="stock")
    quantity = models.IntegerField(_("in stock"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "sku"], name="stock_one_row_per_clinic_sku"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id}@{self.clinic_id}: {self.quantity}"


class CartItem(models.Model):
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="cart_items")
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField(default=1)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sku"], name="cart_one_line_per_sku"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=99), name="cart_quantity_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.sku_id} x{self.quantity}"


class Order(BaseModel):
    number = models.CharField(_("order number"), max_length=32, unique=True)
    buyer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="orders")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=OrderKind.choices, default=OrderKind.REGULAR)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.AWAITING_PAYMENT,
    )
    fulfilment = models.CharField(
        _("delivery"), max_length=12, choices=Fulfilment.choices, default=Fulfilment.PICKUP
    )
    recipient_name = EncryptedCharField(_("recipient"), max_length=64, blank=True)
    recipient_phone = EncryptedCharField(_("recipient's phone"), max_length=32, blank=True)
    address = EncryptedCharField(_("address"), max_length=200, blank=True)
    subtotal_fen = models.PositiveIntegerField(_("subtotal (fen)"))
    discount_fen = models.PositiveIntegerField(_("coupon discount (fen)"), default=0)
    points_used = models.PositiveIntegerField(_("points used"), default=0)
    points_fen = models.PositiveIntegerField(_("paid with points (fen)"), default=0)
    total_fen = models.PositiveIntegerField(_("to pay (fen)"))
    coupon_id = models.UUIDField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=120, blank=True)
    # Shown to the buyer as a QR code and read at the front desk to hand a pick-up over.
    pickup_code = models.CharField(
        _("pick-up code"), max_length=12, unique=True, null=True, blank=True
    )

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["buyer", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    total_fen=F("subtotal_fen") - F("discount_fen") - F("points_fen"),
                ),
                name="order_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    # Copied at checkout: a later price or name change does not rewrite an order.
    name = models.CharField(max_length=130)
    unit_price_fen = models.PositiveIntegerField()
    quantity = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.name} x{self.quantity}"

    @property
    def amount_fen(self) -> int:
        return self.unit_price_fen * self.quantity


__all__ = [
    "CartItem",
    "FlashReservation",
    "FlashSale",
    "Order",
    "OrderLine",
    "Product",
    "Sku",
    "Stock",
]
