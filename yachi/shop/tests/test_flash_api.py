"""The mini-program's flash-sale contract over HTTP."""

import uuid
from datetime import timedelta

import pytest

from tests.factories import patient_user
from yachi.payments.models import PaymentIntent
from yachi.shop.models import FlashReservation, Order
from yachi.shop.tests.test_flash import make_sale, remaining


@pytest.fixture
def sale(world):
    return make_sale(world.clinic_a, places=2, limit=1)


def test_sales_on_offer_are_listed_without_logging_in(api, world, sale):
    later = make_sale(world.clinic_b, starts_in=timedelta(hours=2))
    response = api.get("/flash-sales")
    assert response.status_code == 200
    listed = {item["id"]: item for item in response.json()}
    item = listed[str(sale.public_id)]
    assert item["stock"] == 2 and item["remaining"] == 2
    assert item["price_fen"] == 990 and item["original_price_fen"] == 12800
    assert item["per_person_limit"] == 1 and item["phase"] == "on_sale"
    assert item["clinic_id"] == str(world.clinic_a.public_id)
    assert listed[str(later.public_id)]["phase"] == "upcoming"


def test_reserving_answers_the_order_to_pay(api, world, sale):
    api.as_user(world.patient_parent)
    response = api.post(f"/flash-sales/{sale.public_id}/reserve")
    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get(public_id=body["id"])
    assert body["number"] == order.number and body["total_fen"] == 990
    assert body["status"] == "awaiting_payment" and body["sale_id"] == str(sale.public_id)
    intent = PaymentIntent.objects.get(public_id=body["payment"]["id"])
    assert intent.reference == f"shop.order:{order.public_id}"
    assert body["payment"]["status"] == "created" and body["payment"]["amount_fen"] == 990
    assert body["payment"]["expires_at"]
    assert api.get("/flash-sales").json()[0]["remaining"] == 1

    again = api.post(f"/flash-sales/{sale.public_id}/reserve")
    assert again.status_code == 409 and again.json()["code"] == "limit_reached"

    api.as_user(world.other_patient)
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").status_code == 201
    api.as_user(patient_user("13800009999"))
    sold_out = api.post(f"/flash-sales/{sale.public_id}/reserve")
    assert sold_out.status_code == 409 and sold_out.json()["code"] == "sold_out"
    assert sold_out.json()["message"]
    assert remaining(sale) == 0 and Order.objects.count() == 2


def test_a_retry_with_the_same_key_returns_the_same_order(api, world, sale):
    api.as_user(world.patient_parent)
    headers = {"Idempotency-Key": "tap-7f3a"}
    first = api.post(f"/flash-sales/{sale.public_id}/reserve", headers=headers)
    second = api.post(f"/flash-sales/{sale.public_id}/reserve", headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert remaining(sale) == 1


def test_not_started_unknown_and_not_a_patient_are_refused_and_change_nothing(api, world, sale):
    later = make_sale(world.clinic_a, starts_in=timedelta(hours=1))
    api.as_user(world.patient_parent)
    response = api.post(f"/flash-sales/{later.public_id}/reserve")
    assert response.status_code == 409 and response.json()["code"] == "not_started"
    for unknown in (uuid.uuid4(), "not-a-uuid"):
        response = api.post(f"/flash-sales/{unknown}/reserve")
        assert response.status_code == 404
        assert response.json()["code"] == "flash_sale_not_found"
    api.as_user(world.clinic_a_front_desk)
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").status_code == 403
    api.token = None
    assert api.post(f"/flash-sales/{sale.public_id}/reserve").status_code == 401
    assert not FlashReservation.objects.exists() and not Order.objects.exists()
    assert remaining(sale) == 2
