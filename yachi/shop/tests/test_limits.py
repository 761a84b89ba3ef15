"""Quantities and points out of range: a message that says what is allowed, on the page
and in the API (`code` + `message`), and nothing changed."""

import pytest

from tests.apiclient import ApiClient
from yachi.growth import facade as growth
from yachi.shop import services
from yachi.shop.models import CartItem, Order
from yachi.shop.tests.conftest import give_points, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent_client(client, shop):
    client.force_login(shop.patient_parent)
    client.get("/shop/", {"clinic": shop.clinic_a.public_id})  # shops at clinic A
    return client


def messages_of(client, response) -> str:
    return client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "请选择 1 至 99 件"),
        ("-2", "请选择 1 至 99 件"),
        ("abc", "请选择 1 至 99 件"),
        ("100", "请选择 1 至 99 件"),
        ("99999999999999999999999999", "请选择 1 至 99 件"),
        ("6", "声波电动牙刷 白色 在静安店仅剩 5 件"),
    ],
)
def test_a_quantity_out_of_range_on_the_product_page_is_refused_with_a_message(
    parent_client, shop, typed, message
):
    response = parent_client.post(
        "/shop/cart/add/",
        {"sku": shop.shop.white.public_id, "quantity": typed, "go": "cart", "back": "/shop/"},
    )
    assert message in messages_of(parent_client, response)
    assert not CartItem.objects.exists()


def test_the_cart_cannot_hold_more_than_the_clinic_has(parent_client, shop):
    parent_client.post("/shop/cart/add/", {"sku": shop.shop.white.public_id, "quantity": "4"})
    response = parent_client.post(
        "/shop/cart/add/", {"sku": shop.shop.white.public_id, "quantity": "2"}
    )
    assert "仅剩 5 件" in messages_of(parent_client, response)
    response = parent_client.post(f"/shop/cart/{shop.shop.white.public_id}/", {"quantity": "9"})
    assert "仅剩 5 件" in messages_of(parent_client, response)
    assert CartItem.objects.get().quantity == 4
    # A variant with none left says so, rather than "only 0".
    response = parent_client.post(
        "/shop/cart/add/",
        {"sku": shop.shop.pink.public_id, "quantity": "1"},
        # clinic B has no pink brush left
        QUERY_STRING=f"clinic={shop.clinic_b.public_id}",
    )
    assert "已售罄" in messages_of(parent_client, response)


@pytest.mark.parametrize(
    ("quantity", "code", "words"),
    [
        (0, "invalid_quantity", "1 至 99"),
        (-1, "invalid_quantity", "1 至 99"),
        (100, "invalid_quantity", "1 至 99"),
        (10**30, "invalid_quantity", "1 至 99"),
        (6, "not_enough_stock", "仅剩 5 件"),
    ],
)
def test_the_api_refuses_quantities_out_of_range_with_a_clear_message(shop, quantity, code, words):
    api = ApiClient().as_user(shop.patient_parent)
    body = {"sku_id": str(shop.shop.white.public_id), "quantity": quantity}
    response = api.post("/shop/cart", {**body, "clinic_id": str(shop.clinic_a.public_id)})
    assert response.status_code in (409, 422)
    assert response.json()["code"] == code and words in response.json()["message"]
    response = api.put(
        f"/shop/cart/{shop.shop.white.public_id}",
        {"quantity": quantity, "clinic_id": str(shop.clinic_a.public_id)},
    )
    assert response.json()["code"] == code
    assert not CartItem.objects.exists()


@pytest.mark.parametrize(
    ("points", "code", "words"),
    [
        (-5, "invalid_points", "积分"),
        (6000, "points_insufficient", "您只有 5000 积分"),
        (3000, "points_too_many", "本单最多可用 1990 积分"),
        (10**30, "points_too_many", "每单最多可用"),
    ],
)
def test_points_out_of_range_are_refused_at_checkout_and_nothing_changes(shop, points, code, words):
    world = shop
    give_points(world.patient_parent, 5000)
    services.cart_add(user=world.patient_parent, sku=world.shop.floss_50)  # ¥19.90
    api = ApiClient().as_user(world.patient_parent)
    response = api.post(
        "/shop/checkout", {"clinic_id": str(world.clinic_a.public_id), "points": points}
    )
    assert response.status_code in (409, 422), response.content
    assert response.json()["code"] == code and words in response.json()["message"]
    assert not Order.objects.exists() and CartItem.objects.count() == 1
    assert growth.points_balance(user=world.patient_parent) == 5000
    assert stock(world.clinic_a, world.shop.floss_50) == 20


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("-5", "积分须为不小于零的整数"),
        ("abc", "积分须为不小于零的整数"),
        ("6000", "您只有 5000 积分"),
        ("3000", "本单最多可用 1990 积分"),
        ("99999999999999999999", "每单最多可用"),
    ],
)
def test_points_out_of_range_on_the_checkout_page_get_a_message(parent_client, shop, typed, words):
    world = shop
    give_points(world.patient_parent, 5000)
    services.cart_add(user=world.patient_parent, sku=world.shop.floss_50)
    summary = parent_client.get(
        "/shop/checkout/", {"points": typed}, headers={"HX-Request": "true"}
    ).content.decode()
    assert words in summary and "¥19.90" in summary  # the total without points
    page = parent_client.post(
        "/shop/checkout/",
        {"clinic_id": world.clinic_a.public_id, "fulfilment": "pickup", "points": typed},
    ).content.decode()
    assert words in page
    assert not Order.objects.exists()
    assert growth.points_balance(user=world.patient_parent) == 5000
