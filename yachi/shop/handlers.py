"""The mall as the owner of ``Purpose.SHOP_ORDER`` payments.

Payments calls these inside its own transaction, so an order and its payment change
state together; each is idempotent (a sweep may call ``on_paid`` again).
"""

from uuid import UUID

from django.urls import reverse
from django.utils.translation import gettext as _

from yachi.payments import facade as payments
from yachi.shop import services
from yachi.shop.choices import OrderStatus
from yachi.shop.models import Order

PREFIX = "shop.order:"


def _order_of(intent) -> Order | None:
    if not intent.reference.startswith(PREFIX):
        return None
    try:
        public_id = UUID(intent.reference[len(PREFIX) :])
    except ValueError:
        return None
    return (
        Order.objects.select_for_update()
        .select_related("buyer", "clinic")
        .filter(public_id=public_id)
        .first()
    )


def on_paid(intent) -> None:
    order = _order_of(intent)
    if order is None:
        raise payments.CannotFulfil(_("the order no longer exists"))
    if order.status == OrderStatus.AWAITING_PAYMENT:
        services.mark_paid(order=order, paid_fen=intent.amount_fen, at=intent.paid_at)
    elif order.status in services.CLOSED:
        raise payments.CannotFulfil(_("the order was closed before the payment arrived"))
    # Otherwise it was marked paid already: nothing to do.


def on_closed(intent) -> None:
    order = _order_of(intent)
    if order is not None:
        services.release_unpaid(order=order, reason=_("Not paid in time"))


def on_refunded(intent, refund, full: bool) -> None:
    if not full:
        return
    order = _order_of(intent)
    if order is not None:
        services.mark_refunded(order=order)


def link(intent) -> tuple[str, str] | None:
    """From the payment (its result page) back to the order."""
    if not intent.reference.startswith(PREFIX):
        return None
    try:
        public_id = UUID(intent.reference[len(PREFIX) :])
    except ValueError:
        return None
    return (_("View the order"), reverse("web:shop_order", args=[public_id]))


def register() -> None:
    payments.register_owner(
        payments.Purpose.SHOP_ORDER,
        on_paid=on_paid,
        on_closed=on_closed,
        on_refunded=on_refunded,
        link=link,
    )
