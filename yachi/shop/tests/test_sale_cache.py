"""A refused reserve reads no sale row (with Redis, no SQL at all once the token and the
sale are known; in a sold-out rush, no Redis script either), and a paused sale is refused
at once in the same process."""

import pytest

from tests.factories import patient_user
from yachi.shop.flash import sale_cache
from yachi.shop.flash import store as flash_store
from yachi.shop.flash.services import flash_sale_set_active
from yachi.shop.flash.settlement import reservation_released
from yachi.shop.models import Order
from yachi.shop.tests.test_flash import make_sale


@pytest.fixture
def fresh_store():
    sale_cache.forget()
    if flash_store.enabled():
        flash_store.client().flushdb()
    yield
    sale_cache.forget()


def test_a_sold_out_refusal_costs_no_sql_with_redis(
    api, world, fresh_store, django_assert_num_queries
):
    if not flash_store.enabled():
        pytest.skip("without Redis the database decides every refusal")
    sale = make_sale(world.clinic_a, places=1, limit=1)
    api.as_user(world.other_patient)
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").status_code == 201
    api.as_user(world.patient_parent)
    first = api.post(f"/flash-sales/{sale.public_id}/reserve")
    assert first.status_code == 409 and first.json()["code"] == "sold_out"
    with django_assert_num_queries(0):
        again = api.post(f"/flash-sales/{sale.public_id}/reserve")
    assert again.status_code == 409 and again.json()["code"] == "sold_out"


def test_a_paused_sale_is_refused_at_once(api, world, fresh_store):
    sale = make_sale(world.clinic_a, places=5, limit=1)
    api.as_user(world.patient_parent)
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").status_code == 201
    flash_sale_set_active(sale=sale, active=False)
    api.as_user(patient_user("13800009998"))
    refused = api.post(f"/flash-sales/{sale.public_id}/reserve")
    assert refused.status_code == 409 and refused.json()["code"] == "sale_ended"


def _scripts_run() -> int:
    stats = flash_store.client().info("commandstats")
    return sum(v["calls"] for k, v in stats.items() if k in ("cmdstat_evalsha", "cmdstat_eval"))


def test_in_a_sold_out_rush_a_refusal_asks_redis_nothing(api, world, fresh_store):
    if not flash_store.enabled():
        pytest.skip("without Redis the database decides every refusal")
    sale = make_sale(world.clinic_a, places=1, limit=1)
    api.as_user(world.other_patient)
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").status_code == 201
    api.as_user(world.patient_parent)
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").json()["code"] == "sold_out"
    before = _scripts_run()
    for phone in ("13800009991", "13800009992"):
        api.as_user(patient_user(phone))
        refused = api.post(f"/flash-sales/{sale.public_id}/reserve")
        assert refused.status_code == 409 and refused.json()["code"] == "sold_out"
    assert _scripts_run() == before


def test_a_retry_with_its_key_gets_the_last_place_it_took(api, world, fresh_store):
    """Sold out since, the buyer who took the last place and lost the answer gets it again."""
    sale = make_sale(world.clinic_a, places=1, limit=1)
    key = {"Idempotency-Key": "last-place-0001"}
    api.as_user(world.patient_parent)
    buyer = api.token
    first = api.post(f"/flash-sales/{sale.public_id}/reserve", headers=key)
    assert first.status_code == 201
    api.as_user(world.other_patient)
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").json()["code"] == "sold_out"
    api.token = buyer
    again = api.post(f"/flash-sales/{sale.public_id}/reserve", headers=key)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]


def test_a_place_given_back_is_sold_at_once_after_a_sold_out_refusal(api, world, fresh_store):
    sale = make_sale(world.clinic_a, places=1, limit=1)
    api.as_user(world.other_patient)
    taken = api.post(f"/flash-sales/{sale.public_id}/reserve")
    assert taken.status_code == 201
    api.as_user(world.patient_parent)
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").json()["code"] == "sold_out"
    order = Order.objects.get(public_id=taken.json()["id"])
    reservation_released(order=order)  # its payment closed unpaid
    again = api.post(f"/flash-sales/{sale.public_id}/reserve")
    assert again.status_code == 201


def test_a_buyer_logged_out_in_a_rush_is_refused_at_once(api, world, fresh_store):
    """The token is known to the process (it was just refused as sold out); the logout
    still refuses it on the very next request."""
    sale = make_sale(world.clinic_a, places=1, limit=1)
    api.as_user(world.other_patient)
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").status_code == 201
    api.as_user(world.patient_parent)
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").json()["code"] == "sold_out"
    assert api.post("/auth/logout").status_code == 204
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").status_code == 401
