"""Making Redis and the database agree again, and finishing what a crash left half done.

* ``stream_drain``: the worker. Each stream entry is a place Redis gave out; the entry
  becomes its reservation and order if the request that took it did not write them
  (it died, or the database was away), and is acknowledged only after that commit.
  Entries of a consumer that died unacknowledged are claimed again (XAUTOCLAIM).
* ``reservations_settle``: reservations whose payment closed, was refunded or was paid
  while nobody told the sale (the order's owner failed or is missing) are released or
  marked paid, so an expired place goes back on sale.
* ``store_reconcile``: the database is the record of truth, Redis a fast copy: places
  Redis holds without a reservation are freed (after a grace, through the token's
  record, so the worker cannot make the order afterwards), places the database holds
  that Redis lost are taken there too, buyers' counts are recounted. A sale Redis
  forgot entirely (flushed, restarted without persistence) is loaded again.

Every step is idempotent and safe beside live traffic; a change racing with a run is
put right by the next run.
"""

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from yachi.payments.facade import IntentStatus, intent_statuses_by_reference
from yachi.shop.choices import HOLDING, OrderStatus, ReservationStatus
from yachi.shop.flash import store
from yachi.shop.flash.errors import LimitReached, NotStarted, SaleEnded, SoldOut
from yachi.shop.flash.models import FlashReservation, FlashSale
from yachi.shop.flash.services import reservation_abandon, reservation_create, store_load
from yachi.shop.flash.settlement import reservation_paid, reservation_released
from yachi.shop.models import Order

logger = logging.getLogger(__name__)


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def _ensure_group(r) -> None:
    try:
        # From the start of the stream: entries added before the group existed count too.
        r.xgroup_create(store.STREAM, store.GROUP, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def stream_drain(
    *,
    consumer: str | None = None,
    count: int = 200,
    block_ms: int | None = None,
    claim_idle_ms: int = 30_000,
) -> int:
    """Turn pending stream entries into reservations; returns how many were handled."""
    if not store.enabled():
        return 0
    consumer = consumer or consumer_name()
    r = store.client()
    try:
        _ensure_group(r)
        claimed = r.xautoclaim(
            store.STREAM,
            store.GROUP,
            consumer,
            min_idle_time=claim_idle_ms,
            start_id="0-0",
            count=count,
        )
        entries = list(claimed[1])
        # This consumer's own unacknowledged entries (a previous run stopped half-way).
        mine = r.xreadgroup(store.GROUP, consumer, {store.STREAM: "0"}, count=count)
        entries += [e for _, batch in mine for e in batch]
        # Waiting for new entries only with none in hand: entries taken over from a dead
        # consumer are handled now, not after a wait whose timeout would drop them.
        fresh = r.xreadgroup(
            store.GROUP,
            consumer,
            {store.STREAM: ">"},
            count=count,
            block=None if entries else block_ms,
        )
        entries += [e for _, batch in fresh or [] for e in batch]
    except (redis.ConnectionError, redis.TimeoutError):
        logger.warning("Redis unavailable: flash stream not drained")
        return 0
    handled = 0
    seen = set()
    for entry_id, fields in entries:
        if entry_id in seen:
            continue
        seen.add(entry_id)
        if fields:
            _materialize(entry_id, {k.decode(): v.decode() for k, v in fields.items()})
        # Only now, after the reservation committed (or was refused for good).
        r.xack(store.STREAM, store.GROUP, entry_id)
        r.xdel(store.STREAM, entry_id)
        handled += 1
    return handled


def _materialize(entry_id: bytes, fields: dict) -> None:
    token, sale_id, buyer_id = fields["token"], int(fields["sale"]), int(fields["buyer"])
    if FlashReservation.objects.filter(token=token).exists():
        return  # the request wrote it (the usual case), or an earlier run did
    sale = FlashSale.objects.filter(pk=sale_id).first()
    buyer = get_user_model().objects.filter(pk=buyer_id).first()
    if sale is None or buyer is None:
        if sale is not None:
            reservation_abandon(sale_id=sale_id, buyer_id=buyer_id, token=token)
        return
    # The place was granted when Redis wrote the entry; that is the time that counts.
    granted_at = datetime.fromtimestamp(int(entry_id.split(b"-")[0]) / 1000, tz=UTC)
    try:
        reservation_create(sale=sale, buyer=buyer, token=token, now=granted_at)
        logger.info("flash reservation %s made from the stream", token)
    except (SoldOut, LimitReached, NotStarted, SaleEnded) as exc:
        logger.warning("flash reservation %s refused by the database: %s", token, exc.code)
        reservation_abandon(sale_id=sale_id, buyer_id=buyer_id, token=token)


def _order_close(order_id: int, now) -> None:
    Order.objects.filter(pk=order_id, status=OrderStatus.AWAITING_PAYMENT).update(
        status=OrderStatus.CANCELLED,
        closed_at=now,
        close_reason="payment not received in time",
        updated_at=now,
    )


def reservations_settle(*, now: datetime | None = None) -> int:
    """Release places whose payment closed or was refunded; mark paid ones paid."""
    now = now or timezone.now()
    waiting = list(
        FlashReservation.objects.filter(
            status=ReservationStatus.RESERVED,
            order__isnull=False,
            created_at__lt=now - timedelta(minutes=1),
        ).select_related("order")
    )
    if not waiting:
        return 0
    by_reference = {f"shop.order:{r.order.public_id}": r for r in waiting}
    statuses = intent_statuses_by_reference(by_reference)
    changed = 0
    for reference, reservation in by_reference.items():
        seen = statuses.get(reference, set())
        order = reservation.order
        with transaction.atomic():
            if IntentStatus.CREATED in seen:
                continue  # still payable
            if IntentStatus.PAID in seen:
                reservation_paid(order=order)
                Order.objects.filter(pk=order.pk, status=OrderStatus.AWAITING_PAYMENT).update(
                    status=OrderStatus.PAID, paid_at=now, updated_at=now
                )
            elif seen & {IntentStatus.CLOSED, IntentStatus.REFUNDED} or not seen:
                _order_close(order.pk, now)
                reservation_released(order=order)
            changed += 1
    return changed


@dataclass
class Report:
    loaded: bool = False
    freed: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)


def store_reconcile(sale: FlashSale, *, now: datetime | None = None) -> Report:
    """Make Redis hold exactly the places the database holds for ``sale``."""
    report = Report()
    if not store.enabled():
        return report
    now = now or timezone.now()
    grace_ms = settings.YACHI_FLASH_REPAIR_AFTER_SECONDS * 1000
    report.loaded = store_load(sale)
    store.sync(sale)
    # Redis first, then the database: a place taken in between is in both or young.
    redis_state = store.state(sale.pk)
    holding = {
        token: (buyer_id, created_at)
        for token, buyer_id, created_at in FlashReservation.objects.filter(
            sale=sale, status__in=HOLDING
        ).values_list("token", "buyer_id", "created_at")
    }
    extra = [token for token in redis_state.held if token not in holding]
    if extra:
        recorded = dict(
            FlashReservation.objects.filter(token__in=extra).values_list("token", "status")
        )
        for token in extra:
            buyer_id, at_ms = redis_state.held[token]
            if token in recorded:
                if recorded[token] not in HOLDING:
                    store.release(sale_id=sale.pk, token=token)
                    report.freed.append(token)
            elif store.ms(now) - at_ms >= grace_ms and reservation_abandon(
                sale_id=sale.pk, buyer_id=buyer_id, token=token
            ):
                # Granted by Redis long ago and never written (the stream was drained
                # first): the token's record decides against a late worker.
                report.freed.append(token)
    missing = [(t, b, at) for t, (b, at) in holding.items() if t not in redis_state.held]
    if missing:
        store.adopt(sale.pk, missing)
        # A place released while it was being adopted goes back again.
        still = set(
            FlashReservation.objects.filter(
                token__in=[t for t, _, _ in missing], status__in=HOLDING
            ).values_list("token", flat=True)
        )
        for token, _, _ in missing:
            if token in still:
                report.adopted.append(token)
            else:
                store.release(sale_id=sale.pk, token=token)
    store.recount(sale.pk)
    if report.loaded or report.freed or report.adopted:
        logger.warning(
            "flash sale %s repaired: loaded=%s freed=%d adopted=%d",
            sale.pk,
            report.loaded,
            len(report.freed),
            len(report.adopted),
        )
    return report


def flash_repair(*, now: datetime | None = None) -> dict:
    """The periodic job: drain the stream, settle reservations, reconcile live sales."""
    now = now or timezone.now()
    drained = stream_drain(consumer="periodic")
    settled = reservations_settle(now=now)
    repaired = 0
    if store.enabled():
        live = FlashSale.objects.filter(ends_at__gt=now - timedelta(days=1))
        for sale in live:
            try:
                report = store_reconcile(sale, now=now)
            except store.Unavailable:
                logger.warning("Redis unavailable: flash sales not reconciled")
                break
            repaired += len(report.freed) + len(report.adopted) + int(report.loaded)
        # Sales long over need no fast copy any more.
        for sale_id in FlashSale.objects.filter(
            ends_at__lte=now - timedelta(days=1), ends_at__gt=now - timedelta(days=8)
        ).values_list("pk", flat=True):
            try:
                store.unload(sale_id)
            except store.Unavailable:
                break
    return {"drained": drained, "settled": settled, "repaired": repaired}
