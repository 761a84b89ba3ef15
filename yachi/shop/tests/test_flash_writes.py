"""What a reserve that takes a place writes, and how few statements it takes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from yachi.payments.models import PaymentIntent
from yachi.shop.flash import sale_cache
from yachi.shop.flash import store as flash_store
from yachi.shop.flash.errors import SaleEnded, SoldOut
from yachi.shop.flash.services import reservation_create, reservation_token
from yachi.shop.models import FlashReservation, FlashSale, Order, OrderLine
from yachi.shop.tests.test_flash import make_sale, remaining

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


def test_a_place_granted_by_redis_is_one_query_and_the_writes(api, world, sale):
    if not flash_store.enabled():
        pytest.skip("places are granted by the database alone here")
    api.as_user(world.patient_parent)
    api.get("/me")
    sale_cache.sale_by_id(sale.public_id)  # the sale, remembered as in a rush
    with CaptureQueriesContext(connection) as queries:
        response = api.post(f"/flash-sales/{sale.public_id}/reserve")
    assert response.status_code == 201
    statements = [
        q["sql"].split()[0]
        for q in queries.captured_queries
        if not q["sql"].startswith(("BEGIN", "COMMIT"))
    ]
    # The order, its line, the reservation, the payment intent and the place taken from
    # the sale's row: no read first and no savepoint.
    assert statements == ["INSERT", "INSERT", "INSERT", "INSERT", "UPDATE"], statements
    assert remaining(sale) == 1


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
