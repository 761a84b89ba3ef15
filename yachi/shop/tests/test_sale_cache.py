"""A refused reserve reads no sale row (with Redis, no SQL at all once the token and the
sale are known), and a paused sale is refused at once in the same process."""

import pytest

from tests.factories import patient_user
from yachi.shop.flash import sale_cache
from yachi.shop.flash import store as flash_store
from yachi.shop.flash.services import flash_sale_set_active
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
