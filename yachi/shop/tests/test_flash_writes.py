"""What a reserve that takes a place writes, and how few statements it takes."""

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory
from yachi.payments.choices import IntentStatus
from yachi.payments.models import PaymentIntent
from yachi.shop.choices import OrderStatus
from yachi.shop.flash import sale_cache, writes
from yachi.shop.flash import store as flash_store
from yachi.shop.flash.errors import LimitReached, NotStarted, SaleEnded, SoldOut
from yachi.shop.flash.services import reservation_create, reservation_token
from yachi.shop.models import FlashReservation, FlashSale, Order, OrderLine
from yachi.shop.tests.test_flash import holding, make_sale, remaining

pytestmark = pytest.mark.django_db


@pytest.fixture
def sale(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # loaded into Redis, if used
        return make_sale(world.clinic_a, places=2, limit=1)


def nothing_written():
    return not (
        Order.objects.exists()
        or OrderLine.objects.exists()
        or FlashReservation.objects.exists()
        or PaymentIntent.objects.exists()
    )


def test_a_granted_place_of_a_sale_paused_meanwhile_is_refused_and_writes_nothing(sale):
    FlashSale.objects.filter(pk=sale.pk).update(is_active=False)  # after the grant
    with pytest.raises(SaleEnded):
        reservation_create(
            sale=sale, buyer=UserFactory(), token=reservation_token(buyer=None), granted=True
        )
    assert nothing_written() and remaining(sale) == 2


def test_a_granted_place_of_a_sale_sold_out_in_the_database_is_refused(sale):
    FlashSale.objects.filter(pk=sale.pk).update(remaining=0)
    with pytest.raises(SoldOut):
        reservation_create(
            sale=sale, buyer=UserFactory(), token=reservation_token(buyer=None), granted=True
        )
    assert nothing_written()


def test_a_place_granted_by_redis_is_one_statement_and_nothing_else(api, world, sale):
    if not flash_store.enabled():
        pytest.skip("places are granted by the database alone here")
    api.as_user(world.patient_parent)
    api.get("/me")
    sale_cache.sale_by_id(sale.public_id)  # the sale, remembered as in a rush
    with CaptureQueriesContext(connection) as queries:
        response = api.post(f"/flash-sales/{sale.public_id}/reserve")
    assert response.status_code == 201
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    if connection.vendor == "postgresql":
        # The order, its line, the reservation, the payment intent and the place taken
        # from the sale's row, in one statement that commits on its own.
        assert statements == ["WITH"], statements
    else:
        assert statements == ["BEGIN", *["INSERT"] * 4, "UPDATE", "COMMIT"], statements
    assert remaining(sale) == 1
    order = Order.objects.get(buyer=world.patient_parent)
    intent = PaymentIntent.objects.get(reference=f"shop.order:{order.public_id}")
    assert response.json() == {
        "id": str(order.public_id),
        "number": order.number,
        "total_fen": 990,
        "status": OrderStatus.AWAITING_PAYMENT,
        "sale_id": str(sale.public_id),
        "payment": {
            "id": str(intent.public_id),
            "status": IntentStatus.CREATED,
            "amount_fen": 990,
            "expires_at": response.json()["payment"]["expires_at"],
        },
    }
    expires_at = datetime.fromisoformat(response.json()["payment"]["expires_at"])
    assert abs(expires_at - intent.expires_at) < timedelta(milliseconds=1)


def test_a_place_the_database_already_holds_for_the_buyer_is_refused_and_given_back(
    api, world, sale
):
    """Redis forgot the buyer's place (out of step): its grant clashes in the database,
    which refuses it; nothing is written and the place goes back in Redis."""
    if not flash_store.enabled():
        pytest.skip("places are granted by the database alone here")
    api.as_user(world.patient_parent)
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").status_code == 201
    _, _, buyers = flash_store.keys(sale.pk)
    flash_store.client().hdel(buyers, world.patient_parent.pk)
    again = api.post(f"/flash-sales/{sale.public_id}/reserve")
    assert again.status_code == 409 and again.json()["code"] == "limit_reached"
    assert Order.objects.filter(buyer=world.patient_parent).count() == 1
    assert PaymentIntent.objects.count() == 1
    assert remaining(sale) == 1 and flash_store.remaining(sale.pk) == 1


def test_a_retry_whose_place_is_written_gets_its_order_again(api, world, sale):
    """The same Idempotency-Key after Redis lost the place: the database's row answers."""
    api.as_user(world.patient_parent)
    key = {"Idempotency-Key": "retry-0001-abcdef"}
    first = api.post(f"/flash-sales/{sale.public_id}/reserve", headers=key)
    assert first.status_code == 201
    if flash_store.enabled():
        flash_store.client().flushdb()  # Redis forgets everything; the sale loads again
    again = api.post(f"/flash-sales/{sale.public_id}/reserve", headers=key)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert Order.objects.filter(buyer=world.patient_parent).count() == 1
    assert remaining(sale) == 1


# The write of a place Redis granted, on either engine: one statement on PostgreSQL, one
# plain transaction on SQLite. It runs outside any transaction, as in a request.


def granted(sale, buyer, *, held_before=0, token=None):
    return reservation_create(
        sale=sale,
        buyer=buyer,
        token=token or reservation_token(buyer=None),
        granted=True,
        held_before=held_before,
    )


def counts() -> tuple[int, int, int, int]:
    return (
        Order.objects.count(),
        OrderLine.objects.count(),
        FlashReservation.objects.count(),
        PaymentIntent.objects.count(),
    )


def row(model, pk, *volatile):
    values = model.objects.filter(pk=pk).values().get()
    return {k: v for k, v in values.items() if k not in ("id", *volatile)}


@pytest.mark.django_db(transaction=True)
def test_a_granted_place_writes_the_rows_the_careful_way_writes(world, sale):
    buyer, other = UserFactory(), UserFactory()
    fast = granted(sale, buyer)
    with transaction.atomic():  # inside a transaction: the careful way, row by row
        careful = granted(sale, other)
    stamps = ("public_id", "created_at", "updated_at")
    mine = ("buyer_id", "number", *stamps)
    assert row(Order, fast.order_id, *mine) == row(Order, careful.order_id, *mine)
    lines = [OrderLine.objects.get(order_id=r.order_id).pk for r in (fast, careful)]
    assert row(OrderLine, lines[0], "order_id") == row(OrderLine, lines[1], "order_id")
    places = ("buyer_id", "token", "order_id", *stamps)
    assert row(FlashReservation, fast.pk, *places) == row(FlashReservation, careful.pk, *places)
    intents = [
        PaymentIntent.objects.get(reference=f"shop.order:{r.order.public_id}")
        for r in (fast, careful)
    ]
    paid = ("reference", "payer_id", "out_trade_no", "expires_at", *stamps)
    assert row(PaymentIntent, intents[0].pk, *paid) == row(PaymentIntent, intents[1].pk, *paid)
    for intent in intents:
        assert abs(intent.expires_at - intent.created_at - timedelta(minutes=15)).seconds < 1
    assert remaining(sale) == 0
    # What the request answers with is what was written, without reading it back.
    order = Order.objects.get(pk=fast.order_id)
    assert (fast.order.public_id, fast.order.number) == (order.public_id, order.number)
    assert fast.order.total_fen == order.total_fen and fast.order.status == order.status
    assert fast.payment.pk == intents[0].pk
    assert (fast.payment.public_id, fast.payment.out_trade_no, fast.payment.expires_at) == (
        intents[0].public_id,
        intents[0].out_trade_no,
        intents[0].expires_at,
    )
    assert fast.payment.status == IntentStatus.CREATED


@pytest.mark.django_db(transaction=True)
def test_the_one_statement_write_refuses_a_second_place_for_the_same_buyer(world, sale):
    buyer, now = UserFactory(), timezone.now()
    writes.place_granted(sale=sale, buyer=buyer, token="first-press", slot=1, now=now)
    with pytest.raises(IntegrityError):
        writes.place_granted(sale=sale, buyer=buyer, token="second-press", slot=1, now=now)
    assert counts() == (1, 1, 1, 1) and remaining(sale) == 1


@pytest.mark.django_db(transaction=True)
def test_a_grant_beyond_the_buyers_limit_is_refused_whole(world, sale):
    """Redis out of step believed the buyer held nothing: the database says no."""
    buyer = UserFactory()
    granted(sale, buyer)
    with pytest.raises(LimitReached):
        granted(sale, buyer)
    assert counts() == (1, 1, 1, 1) and remaining(sale) == 1


@pytest.mark.django_db(transaction=True)
def test_a_retried_grant_of_a_written_token_answers_with_its_order(world, sale):
    buyer = UserFactory()
    first = granted(sale, buyer, token="tap-once")
    again = granted(sale, buyer, token="tap-once")
    assert again.order_id == first.order_id
    assert counts() == (1, 1, 1, 1) and remaining(sale) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "change, refusal",
    [
        ({"is_active": False}, SaleEnded),
        ({"remaining": 0}, SoldOut),
        ({"starts_at": timezone.now() + timedelta(hours=1)}, NotStarted),
    ],
)
def test_a_grant_the_sales_row_refuses_writes_nothing(world, sale, change, refusal):
    FlashSale.objects.filter(pk=sale.pk).update(**change)
    before = FlashSale.objects.get(pk=sale.pk).remaining
    with pytest.raises(refusal):
        granted(sale, UserFactory())
    assert nothing_written() and remaining(sale) == before


@pytest.mark.django_db(transaction=True)
def test_one_buyer_pressing_many_times_at_once_gets_no_more_than_the_limit(world):
    """Grants written in one statement race the database's careful way for one buyer's
    two slots: two places, the rest refused, no other error (no deadlock)."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    sale = make_sale(world.clinic_a, places=20, limit=2)
    buyer = UserFactory()
    presses = 12
    barrier = threading.Barrier(presses)
    outcomes = [None] * presses

    def attempt(index):
        barrier.wait()
        try:
            if index % 2:
                granted(sale, buyer, held_before=index // 2 % 2)
            else:
                reservation_create(sale=sale, buyer=buyer, token=reservation_token(buyer=None))
            outcomes[index] = "ok"
        except LimitReached as exc:
            outcomes[index] = exc.code
        except Exception as exc:
            outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(presses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(outcomes) == {"ok": 2, "limit_reached": presses - 2}, Counter(outcomes)
    assert holding(sale) == 2 and remaining(sale) == 18
    assert Order.objects.count() == 2 == PaymentIntent.objects.count()
