"""What the mall's payment handlers call for flash-sale orders.

``reservation_paid`` when the order's payment arrived, ``reservation_released`` when the
order closed unpaid, was cancelled or fully refunded. Both run inside the caller's
transaction (the payments one), are idempotent, and touch Redis only after the commit.
Taking places lives in ``services``; repairs in ``repair`` (ADR 0013).
"""

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.booking import facade as booking
from yachi.payments.facade import CannotFulfil
from yachi.shop.choices import HOLDING, ReservationStatus
from yachi.shop.flash import store
from yachi.shop.flash.models import FlashReservation, FlashSale

logger = logging.getLogger(__name__)


def reservation_paid(*, order) -> None:
    """The order's payment arrived: its place is the buyer's for good.

    A payment that arrives after the place was given back (the window passed, the
    payer paid at the last second) takes a place again if one is left within the
    buyer's limit; otherwise ``CannotFulfil`` has payments send the money back.
    """
    with transaction.atomic():
        reservation = FlashReservation.objects.select_for_update().filter(order_id=order.pk).first()
        if reservation is None or reservation.status == ReservationStatus.PAID:
            return
        if reservation.status == ReservationStatus.RESERVED:
            FlashReservation.objects.filter(pk=reservation.pk).update(
                status=ReservationStatus.PAID, updated_at=timezone.now()
            )
            return
        _take_again(reservation)
    transaction.on_commit(lambda: _adopt_in_store(reservation))


def voucher_issue_for(*, order) -> None:
    """A paid place of a treatment's sale is a service voucher for the buyer (ADR 0032):
    valid to the end of the last of the sale's number of days counted from the day of
    payment, at the clinic's time. Issued once per order, however often this runs."""
    reservation = (
        FlashReservation.objects.select_related("sale__service__clinic")
        .filter(order_id=order.pk)
        .first()
    )
    if reservation is None or reservation.sale.service_id is None:
        return
    sale = reservation.sale
    zone = ZoneInfo(sale.service.clinic.timezone)
    paid_day = timezone.localtime(order.paid_at or timezone.now(), zone).date()
    # The day of payment is the first of its days; the voucher ends with the last.
    last_day = paid_day + timedelta(days=sale.voucher_valid_days - 1)
    booking.voucher_issue(
        source=f"shop.order:{order.public_id}",
        owner=order.buyer,
        service=sale.service,
        title=sale.title,
        paid_fen=order.total_fen,
        valid_until=datetime.combine(last_day, time(23, 59, 59), tzinfo=zone),
    )


def _take_again(reservation: FlashReservation) -> None:
    sale = FlashSale.objects.get(pk=reservation.sale_id)
    held = set(
        FlashReservation.objects.filter(
            sale_id=sale.pk, buyer_id=reservation.buyer_id, status__in=HOLDING
        ).values_list("slot", flat=True)
    )
    for slot in range(1, sale.per_person_limit + 1):
        if slot in held:
            continue
        try:
            with transaction.atomic():
                FlashReservation.objects.filter(pk=reservation.pk).update(
                    status=ReservationStatus.PAID, slot=slot, updated_at=timezone.now()
                )
            break
        except IntegrityError:
            continue
    else:
        raise CannotFulfil(_("you already hold as many places of this flash sale as one may"))
    taken = FlashSale.objects.filter(pk=sale.pk, remaining__gt=0).update(
        remaining=F("remaining") - 1, updated_at=timezone.now()
    )
    if not taken:
        raise CannotFulfil(_("the flash sale sold out after the time to pay had passed"))


def reservation_released(*, order) -> bool:
    """Give the order's place back to the sale, in the database and then in Redis.

    Returns whether this call released it; calling again changes nothing (but makes
    sure Redis has the place back, in case a crash came between the two).
    """
    with transaction.atomic():
        reservation = FlashReservation.objects.filter(order_id=order.pk).first()
        if reservation is None:
            return False
        released = FlashReservation.objects.filter(pk=reservation.pk, status__in=HOLDING).update(
            status=ReservationStatus.RELEASED, updated_at=timezone.now()
        )
        if released:
            FlashSale.objects.filter(pk=reservation.sale_id).update(
                remaining=F("remaining") + 1, updated_at=timezone.now()
            )
        transaction.on_commit(lambda: _release_in_store(reservation))
    return bool(released)


def _release_in_store(reservation: FlashReservation) -> None:
    if not store.enabled():
        return
    try:
        store.release(sale_id=reservation.sale_id, token=reservation.token)
    except store.Unavailable:
        logger.warning("Redis unavailable: place %s is returned by the repair", reservation.token)


def _adopt_in_store(reservation: FlashReservation) -> None:
    if not store.enabled():
        return
    try:
        store.adopt(
            reservation.sale_id, [(reservation.token, reservation.buyer_id, timezone.now())]
        )
    except store.Unavailable:
        logger.warning("Redis unavailable: place %s is taken by the repair", reservation.token)
