"""Reads of flash sales for the app, the API and the console."""

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from yachi.core.models import as_public_id
from yachi.shop.flash.errors import FlashSaleNotFound
from yachi.shop.flash.models import FlashSale


def sales_on_offer(*, now: datetime | None = None) -> QuerySet[FlashSale]:
    """Sales a patient can see: running, or starting later (with a countdown)."""
    now = now or timezone.now()
    return (
        FlashSale.objects.filter(is_active=True, ends_at__gt=now, clinic__is_active=True)
        .select_related("clinic", "service")
        .order_by("starts_at", "pk")
    )


def sales_of_clinic(*, clinic, now: datetime | None = None) -> QuerySet[FlashSale]:
    """The console's list: everything not ended more than 30 days ago."""
    now = now or timezone.now()
    return (
        FlashSale.objects.filter(clinic=clinic, ends_at__gt=now - timedelta(days=30))
        .select_related("service")
        .order_by("-starts_at", "-pk")
    )


def sale_by_id(sale_id) -> FlashSale:
    """A sale by its public id (public reference data, like a clinic)."""
    public_id = as_public_id(sale_id)
    if public_id is None:
        raise FlashSaleNotFound()
    sale = (
        FlashSale.objects.select_related("clinic", "service")
        .filter(public_id=public_id, clinic__is_active=True)
        .first()
    )
    if sale is None:
        raise FlashSaleNotFound()
    return sale


def sale_phase(sale: FlashSale, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if not sale.is_active or now >= sale.ends_at:
        return "ended"
    if now < sale.starts_at:
        return "upcoming"
    return "sold_out" if sale.remaining <= 0 else "on_sale"
