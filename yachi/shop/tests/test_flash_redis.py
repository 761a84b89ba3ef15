"""Flash sales against real Redis (and, for the rush, real PostgreSQL): never oversold,
never over the per-person limit, and a paid order never lost when the two disagree.

Crashes are made the honest way: the Redis step runs for real and the database step
simply does not happen, or a consumer reads an entry and never acknowledges it, or
Redis forgets everything (FLUSHDB). Skipped where Redis (or PostgreSQL) is not used.
"""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import UserFactory
from yachi.payments import fulfilment
from yachi.payments import services as payments
from yachi.payments.facade import IntentStatus, Purpose
from yachi.payments.models import PaymentIntent
from yachi.shop.choices import HOLDING, ReservationStatus
from yachi.shop.flash import store as flash_store
from yachi.shop.flash.errors import LimitReached, SoldOut
from yachi.shop.flash.repair import flash_repair, store_reconcile, stream_drain
from yachi.shop.flash.services import flash_reserve, reservation_token
from yachi.shop.flash.settlement import reservation_released
from yachi.shop.models import FlashReservation, FlashSale, Order
from yachi.shop.tests.test_flash import holding, make_sale, redis_agrees, remaining

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_store():
    if not flash_store.enabled():
        pytest.skip("flash sales do not use Redis here")
    r = flash_store.client()
    r.flushdb()
    yield r
    r.flushdb()


@pytest.fixture
def postgres(redis_store):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")


def _rush(sale, buyers):
    """Every buyer presses at the same instant, each from a thread of their own."""
    barrier = threading.Barrier(len(buyers))
    outcomes = [None] * len(buyers)

    def attempt(index, buyer):
        barrier.wait()
        try:
            flash_reserve(sale=sale, buyer=buyer)
            outcomes[index] = "ok"
        except (SoldOut, LimitReached) as exc:
            outcomes[index] = exc.code
        except Exception as exc:
            outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=pair) for pair in enumerate(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(outcomes)


def test_five_hundred_phones_at_ten_sharp_get_exactly_one_hundred_places(world, postgres):
    sale = make_sale(world.clinic_a, places=100, limit=1)
    buyers = UserFactory.create_batch(500)

    outcomes = _rush(sale, buyers)

    assert outcomes == {"ok": 100, "sold_out": 400}, outcomes
    reservations = FlashReservation.objects.filter(sale=sale, status__in=HOLDING)
    assert reservations.count() == 100
    assert remaining(sale) == 0
    assert flash_store.remaining(sale.pk) == 0
    assert len(set(reservations.values_list("buyer_id", flat=True))) == 100
    orders = Order.objects.filter(flash_reservation__in=reservations)
    assert orders.count() == 100 == Order.objects.count()
    references = {
        f"shop.order:{public_id}" for public_id in orders.values_list("public_id", flat=True)
    }
    intents = PaymentIntent.objects.filter(reference__in=references, status=IntentStatus.CREATED)
    assert intents.count() == 100
    redis_agrees(sale)
    # Every request wrote its own order, so the worker finds nothing to do.
    assert stream_drain(claim_idle_ms=0) == 0
    assert holding(sale) == 100


def test_one_buyer_hammering_gets_no_more_than_the_limit(world, postgres):
    sale = make_sale(world.clinic_a, places=50, limit=2)
    buyer = UserFactory()
    outcomes = _rush(sale, [buyer] * 60)
    assert outcomes == {"ok": 2, "limit_reached": 58}, outcomes
    assert FlashReservation.objects.filter(sale=sale, buyer=buyer, status__in=HOLDING).count() == 2
    assert remaining(sale) == 48
    redis_agrees(sale)


def test_the_database_alone_holds_the_limit_when_redis_is_off(world, postgres, settings):
    """The constraint, not the script: with Redis switched off the limit still holds."""
    settings.YACHI_FLASH_SALE_REDIS = False
    sale = make_sale(world.clinic_a, places=30, limit=2)
    buyer = UserFactory()
    others = UserFactory.create_batch(40)
    outcomes = _rush(sale, [buyer] * 20 + others)
    assert outcomes["ok"] == 30, outcomes
    assert FlashReservation.objects.filter(sale=sale, buyer=buyer, status__in=HOLDING).count() == 2
    assert holding(sale) == 30 and remaining(sale) == 0


def test_a_crash_between_redis_and_the_database_is_repaired_once(world, redis_store):
    sale = make_sale(world.clinic_a, places=5)
    buyer = UserFactory()
    from yachi.shop.flash.services import store_load

    store_load(sale)
    token = reservation_token(buyer=buyer)
    # The script ran, then the request died before writing anything.
    outcome = flash_store.reserve(
        sale_id=sale.pk, buyer_id=buyer.pk, token=token, now=timezone.now()
    )
    assert outcome.status == "ok"
    assert flash_store.remaining(sale.pk) == 4 and remaining(sale) == 5

    assert stream_drain(claim_idle_ms=0) == 1
    assert stream_drain(claim_idle_ms=0) == 0
    flash_repair()

    reservation = FlashReservation.objects.get(token=token)
    assert reservation.buyer == buyer and reservation.status == ReservationStatus.RESERVED
    assert Order.objects.filter(buyer=buyer).count() == 1
    assert (
        PaymentIntent.objects.filter(
            reference=f"shop.order:{reservation.order.public_id}", purpose=Purpose.SHOP_ORDER
        ).count()
        == 1
    )
    assert remaining(sale) == 4
    redis_agrees(sale)


def test_entries_of_a_worker_that_died_are_claimed_by_another(world, redis_store):
    sale = make_sale(world.clinic_a, places=5)
    buyer = UserFactory()
    from yachi.shop.flash.repair import _ensure_group
    from yachi.shop.flash.services import store_load

    store_load(sale)
    _ensure_group(redis_store)
    token = reservation_token(buyer=buyer)
    flash_store.reserve(sale_id=sale.pk, buyer_id=buyer.pk, token=token, now=timezone.now())
    # A worker reads the entry and dies before acknowledging it.
    read = redis_store.xreadgroup(flash_store.GROUP, "dead", {flash_store.STREAM: ">"}, count=10)
    assert len(read[0][1]) == 1
    assert stream_drain(consumer="alive", claim_idle_ms=60_000) == 0  # not idle long enough
    assert not FlashReservation.objects.exists()
    time.sleep(0.05)
    assert stream_drain(consumer="alive", claim_idle_ms=10) == 1
    assert FlashReservation.objects.get(token=token).order_id
    assert redis_store.xpending(flash_store.STREAM, flash_store.GROUP)["pending"] == 0
    redis_agrees(sale)


def test_what_redis_let_through_and_the_database_refuses_is_given_back(world, redis_store):
    sale = make_sale(world.clinic_a, places=3)
    flash_reserve(sale=sale, buyer=UserFactory())
    # Out of step: the database has fewer places than Redis believes.
    FlashSale.objects.filter(pk=sale.pk).update(remaining=0)
    buyer = UserFactory()
    with pytest.raises(SoldOut):
        flash_reserve(sale=sale, buyer=buyer)
    assert not Order.objects.filter(buyer=buyer).exists()
    assert flash_store.remaining(sale.pk) == 2  # the refused place went back in Redis
    # Its stream entry stays refused: the worker makes no order from it later.
    FlashSale.objects.filter(pk=sale.pk).update(remaining=2)
    stream_drain(claim_idle_ms=0)
    assert not Order.objects.filter(buyer=buyer).exists()


def test_an_expired_order_gives_its_place_back_in_both_stores(world, redis_store):
    """The owner of shop payments releases the place when the payment closes."""
    closed = []

    def on_closed(intent):
        order = Order.objects.get(public_id=intent.reference.split(":", 1)[1])
        closed.append(reservation_released(order=order))

    previous = fulfilment.owner_of(Purpose.SHOP_ORDER)
    fulfilment.register(
        Purpose.SHOP_ORDER, on_paid=lambda i: None, on_closed=on_closed, on_refunded=None
    )
    try:
        sale = make_sale(world.clinic_a, places=1)
        first = flash_reserve(sale=sale, buyer=UserFactory())
        late = UserFactory()
        with pytest.raises(SoldOut):
            flash_reserve(sale=sale, buyer=late)
        PaymentIntent.objects.filter(reference=f"shop.order:{first.order.public_id}").update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        assert payments.intents_close_expired() == 1
        assert closed == [True]
        assert remaining(sale) == 1 and flash_store.remaining(sale.pk) == 1
        redis_agrees(sale)
        taken = flash_reserve(sale=sale, buyer=late)
        assert taken.status == ReservationStatus.RESERVED
        assert remaining(sale) == 0 and flash_store.remaining(sale.pk) == 0
        redis_agrees(sale)
    finally:
        if previous is None:
            fulfilment._owners.pop(Purpose.SHOP_ORDER, None)
        else:
            fulfilment._owners[Purpose.SHOP_ORDER] = previous


def test_a_flushed_redis_is_loaded_again_from_the_database(world, redis_store):
    sale = make_sale(world.clinic_a, places=4, limit=1)
    buyers = UserFactory.create_batch(3)
    for buyer in buyers[:2]:
        flash_reserve(sale=sale, buyer=buyer)
    redis_store.flushdb()  # a restart without persistence

    # The next request loads the sale from the database: the holders stay holders.
    with pytest.raises(LimitReached):
        flash_reserve(sale=sale, buyer=buyers[0])
    flash_reserve(sale=sale, buyer=buyers[2])
    assert flash_store.remaining(sale.pk) == 1 == remaining(sale)
    redis_agrees(sale)

    redis_store.flushdb()
    report = store_reconcile(sale)
    assert report.loaded
    redis_agrees(sale)


def test_repair_frees_what_redis_holds_without_an_order_and_takes_what_it_lost(
    world, redis_store, settings
):
    sale = make_sale(world.clinic_a, places=5)
    kept = flash_reserve(sale=sale, buyer=UserFactory())
    released = flash_reserve(sale=sale, buyer=UserFactory())
    # Released in the database, then the process died before telling Redis.
    FlashReservation.objects.filter(pk=released.pk).update(status=ReservationStatus.RELEASED)
    FlashSale.objects.filter(pk=sale.pk).update(remaining=4)
    # A place Redis gave out long ago whose request and stream entry are both gone.
    lost = UserFactory()
    long_ago = timezone.now() - timedelta(minutes=4)
    flash_store.reserve(sale_id=sale.pk, buyer_id=lost.pk, token="lost-token", now=long_ago)
    redis_store.delete(flash_store.STREAM)
    # A place the database holds that Redis never saw (taken while Redis was away).
    redis_store.hdel(flash_store.keys(sale.pk)[1], kept.token)

    report = store_reconcile(sale)

    assert set(report.freed) == {released.token, "lost-token"}
    assert report.adopted == [kept.token]
    redis_agrees(sale)
    assert flash_store.remaining(sale.pk) == 4
    # The lost token's record keeps a late worker from making its order.
    assert FlashReservation.objects.get(token="lost-token").status == ReservationStatus.RELEASED
    assert not Order.objects.filter(buyer=lost).exists()
    # And a second run finds nothing to do.
    again = store_reconcile(sale)
    assert not (again.freed or again.adopted or again.loaded)


def test_the_flash_worker_command_repairs_a_crashed_request(world, redis_store):
    from django.core.management import call_command

    sale = make_sale(world.clinic_a, places=2)
    buyer = UserFactory()
    token = reservation_token(buyer=buyer)
    flash_store.reserve(sale_id=sale.pk, buyer_id=buyer.pk, token=token, now=timezone.now())
    call_command("flash-worker", once=True)
    assert FlashReservation.objects.get(token=token).order.buyer == buyer
    redis_agrees(sale)
