"""Flash sales (秒杀): a sale's places, and the places held by buyers.

They belong to the shop app (label ``shop``); ``yachi.shop.models`` imports them so that
Django finds them.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.shop.choices import HOLDING, ReservationStatus


class FlashSale(BaseModel):
    """A limited number of places at a special price from a start time (秒杀)."""

    title = models.CharField(_("title"), max_length=64)
    description = models.TextField(_("description"), blank=True)
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    # A mall SKU, or none for a treatment package redeemed at the clinic.
    sku = models.ForeignKey(
        "shop.Sku", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Or a treatment of the clinic: paying for it issues a service voucher (服务券) that the
    # buyer books as an appointment, and its usual price is the service's own (ADR 0032).
    service = models.ForeignKey(
        "clinics.Service", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    voucher_valid_days = models.PositiveSmallIntegerField(_("voucher valid for (days)"), default=90)
    original_price_fen = models.PositiveIntegerField(_("usual price (fen)"))
    price_fen = models.PositiveIntegerField(_("sale price (fen)"))
    places = models.PositiveIntegerField(_("places"))
    # The record of truth for places left; Redis holds a fast copy when configured.
    remaining = models.IntegerField(_("places left"))
    per_person_limit = models.PositiveSmallIntegerField(_("limit per person"), default=1)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    payment_window_minutes = models.PositiveSmallIntegerField(_("minutes to pay"), default=15)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("flash sale")
        verbose_name_plural = _("flash sales")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0, remaining__lte=F("places")),
                name="flash_sale_remaining_in_range",
            ),
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="flash_sale_price_positive"),
            models.CheckConstraint(
                condition=Q(per_person_limit__gte=1), name="flash_sale_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="flash_sale_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(sku__isnull=True) | Q(service__isnull=True),
                name="flash_sale_sku_or_service",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_treatment(self) -> bool:
        return self.service_id is not None

    @property
    def usual_price_fen(self) -> int:
        """The crossed-out price: a treatment's is the service's real price today."""
        if self.service_id is not None:
            return self.service.price_fen
        return self.original_price_fen


class FlashReservation(BaseModel):
    """One place of a sale held for one buyer, tied to the order that pays for it.

    ``slot`` numbers a buyer's places 1..limit: the partial unique constraint on
    (sale, buyer, slot) is what makes the per-person limit hold under concurrency.
    ``token`` is the reservation's identity in the Redis stream; the worker that turns
    stream entries into orders uses it to do each one once.
    """

    sale = models.ForeignKey(FlashSale, on_delete=models.PROTECT, related_name="reservations")
    buyer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    slot = models.PositiveSmallIntegerField()
    token = models.CharField(max_length=40, unique=True)
    order = models.OneToOneField(
        "shop.Order", on_delete=models.PROTECT, related_name="flash_reservation", null=True
    )
    status = models.CharField(
        max_length=12, choices=ReservationStatus.choices, default=ReservationStatus.RESERVED
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sale", "buyer", "slot"],
                condition=Q(status__in=HOLDING),
                name="flash_one_place_per_slot",
            ),
            models.CheckConstraint(condition=Q(slot__gte=1), name="flash_slot_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.sale_id}/{self.buyer_id}#{self.slot}"
