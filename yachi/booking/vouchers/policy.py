"""What a screen may offer for a voucher: 预约 and 退款."""

from django.utils import timezone

from yachi.booking.choices import VoucherStatus
from yachi.core.models import as_public_id


def may_book(voucher, now=None) -> bool:
    return voucher.status == VoucherStatus.UNUSED and voucher.valid_until > (now or timezone.now())


def may_refund(voucher) -> bool:
    """Only an unused voucher goes back for its money (the order's refund does it)."""
    return voucher.status == VoucherStatus.UNUSED


def order_id_of(voucher):
    """The mall order that paid for it, whose cancellation refunds it."""
    prefix = "shop.order:"
    if not voucher.source.startswith(prefix):
        return None
    return as_public_id(voucher.source[len(prefix) :])
