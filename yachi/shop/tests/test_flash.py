"""Flash sales on either engine: places taken, refused, released and paid.

These run on the embedded default (SQLite, the database alone) and, in the
PostgreSQL + Redis pass, through the Redis script first; the guarantees are the same.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import UserFactory
from yachi.payments import services as payments
from yachi.payments.facade import CannotFulfil, IntentStatus, Purpose
from yachi.payments.models import PaymentIntent
from yachi.shop.choices import HOLDING, OrderKind, OrderStatus, ReservationStatus
from yachi.shop.flash import store as flash_store
from yachi.shop.flash.errors import LimitReached, NotStarted, SaleEnded, SoldOut
from yachi.shop.flash.repair import flash_repair, reservations_settle
from yachi.shop.flash.services import flash_reserve, flash_sale_create
from yachi.shop.flash.settlement import reservation_paid, reservation_released
from yachi.shop.models import FlashReservation, FlashSale, Order

pytestmark = pytest.mark.django_db(transaction=True)


def make_sale(clinic, *, places=3, limit=1, starts_in=timedelta(minutes=-5), **extra):
    now = timezone.now()
    return flash_sale_create(
        clinic=clinic,
        title="儿童涂氟",
        price_fen=990,
        original_price_fen=12800,
        places=places,
        per_person_limit=limit,
        starts_at=now + starts_in,
        ends_at=now + timedelta(days=1),
        **extra,
    )


def holding(sale) -> int:
    return FlashReservation.objects.filter(sale=sale, status__in=HOLDING).count()


def remaining(sale) -> int:
    return FlashSale.objects.get(pk=sale.pk).remaining


def redis_agrees(sale) -> None:
    """Redis, when used, holds exactly the database's places and buyers' counts."""
    if not flash_store.enabled():
        return
    state = flash_store.state(sale.pk)
    rows = FlashReservation.objects.filter(sale=sale, status__in=HOLDING)
    assert set(state.held) == set(rows.values_list("token", flat=True))
    assert state.remaining == remaining(sale)
    assert state.buyers == dict(Counter(rows.values_list("buyer_id", flat=True)))


@pytest.fixture
def clinic(world):
    return world.clinic_a


def test_a_place_comes_with_an_order_and_a_payment_to_make(clinic):
    sale = make_sale(clinic, payment_window_minutes=10)
    buyer = UserFactory()
    reservation = flash_reserve(sale=sale, buyer=buyer)
    order = Order.objects.get(pk=reservation.order_id)
    assert order.kind == OrderKind.FLASH_SALE and order.clinic == clinic
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.total_fen == 990 and order.buyer == buyer
    assert [(line.name, line.unit_price_fen, line.quantity) for line in order.lines.all()] == [
        ("儿童涂氟", 990, 1)
    ]
    intent = PaymentIntent.objects.get(reference=f"shop.order:{order.public_id}")
    assert intent.purpose == Purpose.SHOP_ORDER and intent.amount_fen == 990
    assert intent.payer == buyer and intent.clinic == clinic
    window = intent.expires_at - intent.created_at
    assert timedelta(minutes=9) < window <= timedelta(minutes=10)
    assert remaining(sale) == 2
    assert reservation.status == ReservationStatus.RESERVED and reservation.slot == 1
    redis_agrees(sale)


def test_sold_out_refuses_and_changes_nothing(clinic):
    sale = make_sale(clinic, places=2)
    for _ in range(2):
        flash_reserve(sale=sale, buyer=UserFactory())
    orders = Order.objects.count()
    with pytest.raises(SoldOut):
        flash_reserve(sale=sale, buyer=UserFactory())
    assert Order.objects.count() == orders and PaymentIntent.objects.count() == orders
    assert remaining(sale) == 0 and holding(sale) == 2
    redis_agrees(sale)


def test_per_person_limit_holds(clinic):
    sale = make_sale(clinic, places=10, limit=2)
    buyer = UserFactory()
    first = flash_reserve(sale=sale, buyer=buyer)
    second = flash_reserve(sale=sale, buyer=buyer)
    with pytest.raises(LimitReached):
        flash_reserve(sale=sale, buyer=buyer)
    assert {first.slot, second.slot} == {1, 2}
    assert remaining(sale) == 8
    # A released place frees the buyer's slot too.
    assert reservation_released(order=first.order)
    third = flash_reserve(sale=sale, buyer=buyer)
    assert third.slot == first.slot and remaining(sale) == 8
    redis_agrees(sale)


def test_not_started_and_ended_are_refused(clinic):
    later = make_sale(clinic, starts_in=timedelta(hours=1))
    with pytest.raises(NotStarted):
        flash_reserve(sale=later, buyer=UserFactory())
    ended = make_sale(clinic)
    with pytest.raises(SaleEnded):
        flash_reserve(sale=ended, buyer=UserFactory(), now=ended.ends_at)
    paused = make_sale(clinic)
    FlashSale.objects.filter(pk=paused.pk).update(is_active=False)
    paused.refresh_from_db()
    with pytest.raises(SaleEnded):
        flash_reserve(sale=paused, buyer=UserFactory())
    assert not FlashReservation.objects.exists() and not Order.objects.exists()


def test_a_retried_request_with_the_same_key_gets_the_same_order(clinic):
    sale = make_sale(clinic, limit=2)
    buyer = UserFactory()
    first = flash_reserve(sale=sale, buyer=buyer, idempotency_key="tap-1")
    again = flash_reserve(sale=sale, buyer=buyer, idempotency_key="tap-1")
    assert again.pk == first.pk and remaining(sale) == 2
    assert Order.objects.count() == 1
    redis_agrees(sale)


def test_release_is_idempotent_and_the_place_can_be_taken_again(clinic):
    sale = make_sale(clinic, places=1)
    reservation = flash_reserve(sale=sale, buyer=UserFactory())
    assert reservation_released(order=reservation.order) is True
    assert reservation_released(order=reservation.order) is False
    assert remaining(sale) == 1
    redis_agrees(sale)
    other = flash_reserve(sale=sale, buyer=UserFactory())
    assert other.status == ReservationStatus.RESERVED and remaining(sale) == 0
    redis_agrees(sale)


def test_paid_is_idempotent_and_a_late_payment_takes_a_place_again_if_one_is_left(clinic):
    sale = make_sale(clinic, places=1)
    buyer = UserFactory()
    reservation = flash_reserve(sale=sale, buyer=buyer)
    reservation_paid(order=reservation.order)
    reservation_paid(order=reservation.order)
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.PAID and remaining(sale) == 0
    # Closed unpaid, then the money arrives after all: the place is free, so it is theirs.
    reservation_released(order=reservation.order)
    reservation_paid(order=reservation.order)
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.PAID and remaining(sale) == 0
    redis_agrees(sale)


def test_a_late_payment_after_the_place_went_to_someone_else_cannot_be_fulfilled(clinic):
    sale = make_sale(clinic, places=1)
    late = flash_reserve(sale=sale, buyer=UserFactory())
    reservation_released(order=late.order)
    flash_reserve(sale=sale, buyer=UserFactory())
    with pytest.raises(CannotFulfil):
        reservation_paid(order=late.order)
    late.refresh_from_db()
    assert late.status == ReservationStatus.RELEASED and remaining(sale) == 0
    redis_agrees(sale)


def test_an_unpaid_place_goes_back_when_its_payment_closes(clinic):
    sale = make_sale(clinic, places=1)
    reservation = flash_reserve(sale=sale, buyer=UserFactory())
    order = reservation.order
    intent = PaymentIntent.objects.get(reference=f"shop.order:{order.public_id}")
    PaymentIntent.objects.filter(pk=intent.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert payments.intents_close_expired() == 1
    order.refresh_from_db()
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.RELEASED
    assert order.status == OrderStatus.CANCELLED and remaining(sale) == 1
    redis_agrees(sale)
    taker = flash_reserve(sale=sale, buyer=UserFactory())
    assert taker.status == ReservationStatus.RESERVED and remaining(sale) == 0
    # Nothing is left for the repair to do.
    assert reservations_settle(now=timezone.now() + timedelta(minutes=2)) == 0


def test_the_repair_returns_a_place_whose_closed_payment_nobody_reported(clinic):
    """A crash after the payment closed and before the mall heard of it: the repair acts."""
    sale = make_sale(clinic, places=1)
    reservation = flash_reserve(sale=sale, buyer=UserFactory())
    order = reservation.order
    PaymentIntent.objects.filter(reference=f"shop.order:{order.public_id}").update(
        status="closed", closed_at=timezone.now()
    )
    assert reservations_settle(now=timezone.now() + timedelta(minutes=2)) == 1
    order.refresh_from_db()
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.RELEASED
    assert order.status == OrderStatus.CANCELLED and remaining(sale) == 1
    redis_agrees(sale)
    # Running the repair again changes nothing.
    assert reservations_settle(now=timezone.now() + timedelta(minutes=2)) == 0
    flash_repair()
    redis_agrees(sale)


def test_the_database_alone_never_oversells_under_threads(clinic, settings):
    """The embedded default: SQLite's writers queue; conditional update and constraints."""
    settings.YACHI_FLASH_SALE_REDIS = False
    sale = make_sale(clinic, places=10, limit=1)
    buyers = UserFactory.create_batch(20)
    same = UserFactory()
    outcomes = []
    barrier = threading.Barrier(30)

    def attempt(buyer):
        barrier.wait()
        try:
            flash_reserve(sale=sale, buyer=buyer)
            outcomes.append("ok")
        except (SoldOut, LimitReached) as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(b,)) for b in [*buyers, *[same] * 10]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 10, Counter(outcomes)
    assert holding(sale) == 10 and remaining(sale) == 0
    assert FlashReservation.objects.filter(sale=sale, buyer=same).count() <= 1
    assert Order.objects.count() == 10 == PaymentIntent.objects.count()
    assert all(r.order_id for r in FlashReservation.objects.filter(sale=sale))
    assert set(PaymentIntent.objects.values_list("status", flat=True)) == {IntentStatus.CREATED}
