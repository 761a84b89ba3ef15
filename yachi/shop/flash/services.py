"""Taking a flash-sale place: Redis first when configured, the database always.

``flash_reserve`` is what a request calls. With Redis, the reserve script takes the
place (or refuses: sold out, limit reached, not started…) and appends the token to the
stream; the same request then writes the reservation, its order and the payment intent
(``reservation_create``), idempotent on the token, and the stream entry is dropped once
that committed. Without Redis the database does it alone. Either way the database is
the record of truth: ``FlashSale.remaining`` is taken by a conditional update in the
same transaction as the reservation's insert, and the partial unique constraint on
(sale, buyer, slot) holds the per-person limit under any concurrency (ADR 0013).
"""

import hashlib
import logging
import threading
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.booking import facade as booking
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput
from yachi.growth import facade as growth
from yachi.payments.facade import Purpose, intent_create
from yachi.shop.choices import HOLDING, OrderKind, OrderStatus, ReservationStatus
from yachi.shop.flash import sale_cache, store, writes
from yachi.shop.flash.errors import LimitReached, NotStarted, SaleEnded, SoldOut
from yachi.shop.flash.models import FlashReservation, FlashSale
from yachi.shop.flash.writes import order_number
from yachi.shop.models import Order, OrderLine

logger = logging.getLogger(__name__)

REFUSALS = {
    "sold_out": SoldOut,
    "limit_reached": LimitReached,
    "not_started": NotStarted,
    "ended": SaleEnded,
    "inactive": SaleEnded,
}

_writers: dict[int, threading.BoundedSemaphore] = {}
_writers_lock = threading.Lock()
_loading = threading.Lock()


def _db_writers() -> threading.BoundedSemaphore:
    size = settings.YACHI_FLASH_DB_WRITERS
    with _writers_lock:
        if size not in _writers:
            _writers[size] = threading.BoundedSemaphore(size)
        return _writers[size]


def reservation_token(*, buyer, idempotency_key: str | None = None) -> str:
    """A new token, or the same one for a retried request with the same key."""
    if idempotency_key:
        digest = hashlib.sha256(f"{buyer.pk}:{idempotency_key}".encode()).hexdigest()
        return "k" + digest[:39]
    return uuid.uuid4().hex


def _check_window(sale: FlashSale, now: datetime) -> None:
    if not sale.is_active or now >= sale.ends_at:
        raise SaleEnded()
    if now < sale.starts_at:
        raise NotStarted()


def flash_reserve(
    *, sale: FlashSale, buyer, idempotency_key: str | None = None, now: datetime | None = None
) -> FlashReservation:
    """Take one place of ``sale`` for ``buyer``: the reservation, with its order to pay."""
    now = now or timezone.now()
    token = reservation_token(buyer=buyer, idempotency_key=idempotency_key)
    _check_window(sale, now)
    if store.enabled():
        if idempotency_key is None and store.known_sold_out(sale.pk):
            # A retry with a key may hold a place already: only the script can say.
            raise SoldOut()
        try:
            outcome = _reserve_in_redis(sale=sale, buyer=buyer, token=token, now=now)
        except store.Unavailable:
            # Selling goes on with the database's guarantees; the repair job makes
            # Redis agree again once it is back.
            logger.warning("Redis unavailable: flash sale %s reserves in the database", sale.pk)
        else:
            if outcome.status in REFUSALS:
                raise REFUSALS[outcome.status]()
            try:
                with _db_writers():
                    reservation = reservation_create(
                        sale=sale,
                        buyer=buyer,
                        token=token,
                        now=now,
                        granted=True,
                        held_before=outcome.held_before,
                    )
            except (SoldOut, LimitReached, NotStarted, SaleEnded):
                # Redis let through what the database refuses: it was out of step.
                # The refusal is recorded on the token, so the worker never makes
                # this order later, and the place goes back in Redis.
                reservation_abandon(sale_id=sale.pk, buyer_id=buyer.pk, token=token)
                raise
            if outcome.entry_id:
                transaction.on_commit(lambda: _forget(outcome.entry_id))
            return reservation
    with _db_writers():
        return reservation_create(sale=sale, buyer=buyer, token=token, now=now)


def _reserve_in_redis(*, sale, buyer, token, now) -> store.Outcome:
    outcome = store.reserve(sale_id=sale.pk, buyer_id=buyer.pk, token=token, now=now)
    if outcome.status == "not_loaded":
        # Redis lost its data (sales are loaded when created): one request of this
        # process loads the sale from the database while the others wait for it.
        with _loading:
            outcome = store.reserve(sale_id=sale.pk, buyer_id=buyer.pk, token=token, now=now)
            if outcome.status == "not_loaded":
                store_load(sale)
                outcome = store.reserve(sale_id=sale.pk, buyer_id=buyer.pk, token=token, now=now)
    return outcome


def _forget(entry_id: str) -> None:
    try:
        store.forget_entry(entry_id)
    except Exception:
        # The worker finds the order made and acknowledges the entry instead.
        logger.warning("could not drop stream entry %s", entry_id, exc_info=True)


def store_load(sale: FlashSale) -> bool:
    """Load a sale into Redis with the places the database holds (one loader wins)."""
    sale = FlashSale.objects.get(pk=sale.pk)
    places = FlashReservation.objects.filter(sale=sale, status__in=HOLDING).values_list(
        "token", "buyer_id", "created_at"
    )
    return store.load(sale, list(places))


def reservation_create(
    *,
    sale: FlashSale,
    buyer,
    token: str,
    now: datetime | None = None,
    granted: bool = False,
    held_before: int | None = None,
) -> FlashReservation:
    """Write the reservation, its order and payment intent; idempotent on ``token``.

    ``now`` is when the place was granted (a worker may write it later). ``granted``: the
    request's Redis script has just taken the place, having checked the sale's window and
    places itself, so the sale is not read again first: its price, title, limit and clinic
    never change once it is made, and the conditional update at the end checks its window
    and places once more in the database. Without it (the database alone, or a worker
    writing an old grant) the row is read first, so a sold-out sale writes nothing.

    ``held_before`` (with ``granted``): how many places Redis says the buyer held before
    this one. The rows are then written straight away in the next slot, with no read, in
    one statement (``writes.place_granted``); if the database disagrees (the token or the
    slot taken: a retry, the worker, Redis out of step), that statement fails whole and
    the careful way below decides.
    """
    now = now or timezone.now()
    if (
        granted
        and held_before is not None
        and held_before < sale.per_person_limit
        and not transaction.get_connection().in_atomic_block
    ):
        try:
            return writes.place_granted(
                sale=sale, buyer=buyer, token=token, slot=held_before + 1, now=now
            )
        except writes.NotTaken:
            # Paused or ended since it was granted, or sold out: say which.
            _check_window(FlashSale.objects.get(pk=sale.pk), now)
            raise SoldOut() from None
        except IntegrityError:
            pass
    with transaction.atomic():
        existing, held = _of_buyer(sale=sale, buyer=buyer, token=token)
        if existing is not None:
            return _replay(existing)
        if not granted:
            sale = FlashSale.objects.select_related("clinic").get(pk=sale.pk)
            _check_window(sale, now)
            if sale.remaining <= 0:
                raise SoldOut()
        reservation = None
        for slot in range(1, sale.per_person_limit + 1):
            if slot in held:
                continue
            try:
                with transaction.atomic():
                    reservation = _insert(sale=sale, buyer=buyer, token=token, slot=slot)
                break
            except IntegrityError:
                existing = _by_token(token)
                if existing is not None:
                    return _replay(existing)  # the worker or a retry wrote it just now
                # A concurrent reservation of the same buyer took this slot.
        if reservation is None:
            raise LimitReached()
        intent = _intent(sale=sale, buyer=buyer, reservation=reservation)
        _take_place(sale=sale, now=now)
    reservation.payment = intent
    return reservation


def _intent(*, sale, buyer, reservation):
    return intent_create(
        purpose=Purpose.SHOP_ORDER,
        reference=f"shop.order:{reservation.order.public_id}",
        amount_fen=sale.price_fen,
        description=sale.title,
        payer=buyer,
        clinic=sale.clinic,
        pay_within=timedelta(minutes=sale.payment_window_minutes),
    )


def _take_place(*, sale, now) -> None:
    # Last, so that the sale's row stays locked only until the commit right after.
    taken = FlashSale.objects.filter(
        pk=sale.pk,
        remaining__gt=0,
        is_active=True,
        starts_at__lte=now,
        ends_at__gt=now,
    ).update(remaining=F("remaining") - 1, updated_at=timezone.now())
    if not taken:
        # Paused or ended since it was granted, or sold out: say which.
        _check_window(FlashSale.objects.get(pk=sale.pk), now)
        raise SoldOut()


def _of_buyer(*, sale, buyer, token) -> tuple[FlashReservation | None, set[int]]:
    """In one query: the reservation already written for ``token`` (a retry, or the
    worker), and the slots the buyer holds in the sale."""
    found = list(
        FlashReservation.objects.select_related("order").filter(
            Q(token=token) | Q(sale=sale, buyer=buyer, status__in=HOLDING)
        )
    )
    existing = next((r for r in found if r.token == token), None)
    return existing, {r.slot for r in found if r.status in HOLDING}


def _insert(*, sale, buyer, token, slot) -> FlashReservation:
    order = Order.objects.create(
        number=order_number(),
        buyer=buyer,
        clinic=sale.clinic,
        kind=OrderKind.FLASH_SALE,
        status=OrderStatus.AWAITING_PAYMENT,
        subtotal_fen=sale.price_fen,
        total_fen=sale.price_fen,
    )
    OrderLine.objects.create(
        order=order, sku=sale.sku, name=sale.title, unit_price_fen=sale.price_fen, quantity=1
    )
    return FlashReservation.objects.create(
        sale=sale, buyer=buyer, slot=slot, token=token, order=order
    )


def _by_token(token: str) -> FlashReservation | None:
    return FlashReservation.objects.select_related("order").filter(token=token).first()


def _replay(reservation: FlashReservation) -> FlashReservation:
    if reservation.order_id is None:
        # The token's request was refused earlier (see reservation_abandon).
        raise SoldOut()
    return reservation


def reservation_abandon(*, sale_id: int, buyer_id: int, token: str) -> bool:
    """Record that ``token`` gets no order, then give its Redis place back.

    The record (a released reservation without an order) is what stops the worker or a
    repair from making the order later: the token is unique, so whichever writes first
    decides. Returns False when the token has a reservation that holds its place.
    """
    try:
        with transaction.atomic():
            FlashReservation.objects.create(
                sale_id=sale_id,
                buyer_id=buyer_id,
                slot=1,
                token=token,
                status=ReservationStatus.RELEASED,
            )
    except IntegrityError:
        existing = FlashReservation.objects.filter(token=token).first()
        if existing is not None and existing.status in HOLDING:
            return False
    transaction.on_commit(lambda: _release_in_store(sale_id, token))
    return True


def _release_in_store(sale_id: int, token: str) -> None:
    if not store.enabled():
        return
    try:
        store.release(sale_id=sale_id, token=token)
    except store.Unavailable:
        logger.warning("Redis unavailable: place %s of sale %s freed by the repair", token, sale_id)


@transaction.atomic
def flash_sale_create(
    *,
    clinic,
    title: str,
    price_fen: int,
    original_price_fen: int,
    places: int,
    starts_at: datetime,
    ends_at: datetime,
    per_person_limit: int = 1,
    payment_window_minutes: int = 15,
    description: str = "",
    sku=None,
    service=None,
    voucher_valid_days: int = 90,
    actor=None,
) -> FlashSale:
    """A new sale of a mall SKU, of a treatment package, or of a clinic's ``service``.

    A sale of a service sells service vouchers (ADR 0032): its usual price is the
    service's own price (``original_price_fen`` is not asked for), and each voucher is
    valid for ``voucher_valid_days`` from its payment.
    """
    if service is not None:
        if service.clinic_id != clinic.pk or not service.is_active:
            raise InvalidInput(_("Choose a bookable treatment of this clinic."))
        if sku is not None:
            raise InvalidInput(_("A flash sale is of a product or of a treatment, not both."))
        if not 1 <= voucher_valid_days <= 366:
            raise InvalidInput(_("A voucher is valid for 1 to 366 days."))
        original_price_fen = service.price_fen
    if price_fen <= 0 or original_price_fen < price_fen:
        raise InvalidInput(_("The sale price must be above zero and at most the usual price."))
    if places < 1 or per_person_limit < 1 or payment_window_minutes < 1:
        raise InvalidInput(_("Places, the limit per person and minutes to pay must be at least 1."))
    if ends_at <= starts_at:
        raise InvalidInput(_("The sale must end after it starts."))
    # The sale's name and description are shown to patients: promotional text (ADR 0049).
    growth.promotion_require({_("Sale name"): title, _("Description"): description})
    if service is not None:
        _check_capacity(
            service=service, places=places, starts_at=starts_at, days=voucher_valid_days
        )
    sale = FlashSale.objects.create(
        clinic=clinic,
        title=title.strip()[:64],
        description=description,
        sku=sku,
        service=service,
        voucher_valid_days=voucher_valid_days,
        price_fen=price_fen,
        original_price_fen=original_price_fen,
        places=places,
        remaining=places,
        per_person_limit=per_person_limit,
        starts_at=starts_at,
        ends_at=ends_at,
        payment_window_minutes=payment_window_minutes,
    )
    if actor is not None:
        audit_record(
            action=AuditAction.FLASH_SALE_CREATED,
            actor=actor,
            object_type="flash_sale",
            object_id=sale.public_id,
            clinic=clinic,
            details={
                "places": places,
                "price_fen": price_fen,
                **({"service": service.code} if service is not None else {}),
            },
        )
    transaction.on_commit(lambda: _load_store(sale))
    return sale


def _check_capacity(*, service, places: int, starts_at: datetime, days: int) -> None:
    """No more vouchers than the clinic could see in the first buyer's days to book."""
    first_day = timezone.localtime(starts_at, ZoneInfo(service.clinic.timezone)).date()
    free = booking.service_places_free(
        service=service, first_day=first_day, last_day=first_day + timedelta(days=days - 1)
    )
    if places > free:
        raise InvalidInput(
            _(
                "The clinic has room for about %(free)s visits of %(service)s in the "
                "vouchers' %(days)s days: sell at most that many, or give them longer."
            )
            % {"free": free, "service": service.display_name, "days": days},
            code="over_capacity",
        )


def flash_sale_set_active(*, sale: FlashSale, active: bool, actor=None) -> FlashSale:
    """Pause or resume a sale; Redis follows after the commit."""
    with transaction.atomic():
        FlashSale.objects.filter(pk=sale.pk).update(is_active=active, updated_at=timezone.now())
        sale.refresh_from_db()
        if actor is not None:
            audit_record(
                action=AuditAction.FLASH_SALE_PAUSED,
                actor=actor,
                object_type="flash_sale",
                object_id=sale.public_id,
                clinic=sale.clinic,
                details={"active": active},
            )
        transaction.on_commit(lambda: _sync_store(sale))
        transaction.on_commit(sale_cache.forget)
    return sale


def _load_store(sale: FlashSale) -> None:
    if store.enabled():
        try:
            store_load(sale)
        except store.Unavailable:
            logger.warning("Redis unavailable: sale %s is loaded by its first request", sale.pk)


def _sync_store(sale: FlashSale) -> None:
    if store.enabled():
        try:
            store.sync(sale)
        except store.Unavailable:
            logger.warning("Redis unavailable: sale %s is synced by the repair", sale.pk)
