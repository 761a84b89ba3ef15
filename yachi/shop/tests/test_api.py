"""The mall through the JSON API, as the mini-program uses it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yachi.payments.models import PaymentIntent
from yachi.shop.choices import OrderStatus
from yachi.shop.models import CartItem, Order, Product, Sku, Stock
from yachi.shop.tests.conftest import catalogue, give_coupon, pay, stock


@pytest.fixture
def shop_api(api, world):
    world.shop = catalogue(world)
    api.as_user(world.patient_parent)
    api.world = world
    return api


def _fill_cart(api, sku, quantity=1):
    response = api.post("/shop/cart", {"sku_id": str(sku.public_id), "quantity": quantity})
    assert response.status_code == 200, response.content
    return response.json()


def test_products_show_stock_at_the_chosen_clinic(shop_api):
    world = shop_api.world
    response = shop_api.client.get("/api/v1/shop/products")  # no login needed
    assert response.status_code == 200
    names = [p["name"] for p in response.json()]
    assert names == ["声波电动牙刷", "牙线"]
    assert all(s["in_stock"] is None for p in response.json() for s in p["skus"])
    body = shop_api.get(
        "/shop/products", {"category": "toothbrush", "clinic_id": str(world.clinic_b.public_id)}
    ).json()
    assert [p["name"] for p in body] == ["声波电动牙刷"]
    assert {s["code"]: s["in_stock"] for s in body[0]["skus"]} == {
        "brush-white": 2,
        "brush-pink": 0,
    }
    assert body[0]["from_price_fen"] == 29900
    product = shop_api.get(f"/shop/products/{world.shop.floss.public_id}").json()
    assert product["skus"][0]["price_fen"] == 1990
    assert shop_api.get("/shop/products", {"category": "cars"}).status_code == 422
    assert shop_api.get("/shop/products/not-a-uuid").json()["code"] == "product_not_found"


def test_product_list_query_budget(shop_api):
    world = shop_api.world
    for i in range(10):
        product = Product.objects.create(name=f"漱口水{i}", category="mouthwash")
        for j in range(3):
            sku = Sku.objects.create(
                product=product, code=f"mw-{i}-{j}", name=f"{j}", price_fen=100 + j
            )
            Stock.objects.create(clinic=world.clinic_a, sku=sku, quantity=j)
    with CaptureQueriesContext(connection) as queries:
        response = shop_api.client.get(
            "/api/v1/shop/products", {"clinic_id": str(world.clinic_a.public_id)}
        )
    assert response.status_code == 200 and len(response.json()) == 12
    # clinic, products, their SKUs, the stock of those SKUs
    assert len(queries) <= 4, [q["sql"] for q in queries.captured_queries]


def test_cart_add_set_remove(shop_api):
    world = shop_api.world
    white, floss = world.shop.white, world.shop.floss_50
    _fill_cart(shop_api, white)
    body = _fill_cart(shop_api, white, 2)
    assert body["lines"][0]["quantity"] == 3 and body["subtotal_fen"] == 3 * 29900
    body = shop_api.put(f"/shop/cart/{floss.public_id}", {"quantity": 4}).json()
    assert body["count"] == 7
    assert shop_api.put(f"/shop/cart/{floss.public_id}", {"quantity": 0}).status_code == 422
    assert shop_api.put(f"/shop/cart/{floss.public_id}", {"quantity": "2"}).status_code == 422
    body = shop_api.delete(f"/shop/cart/{white.public_id}").json()
    assert [line["variant"] for line in body["lines"]] == ["50支装"]
    assert shop_api.get("/shop/cart").json()["subtotal_fen"] == 4 * 1990


def test_checkout_through_the_api_and_pay(shop_api):
    world = shop_api.world
    _fill_cart(shop_api, world.shop.white)
    coupon = give_coupon(world.patient_parent, amount_off_fen=2000)
    body = {"clinic_id": str(world.clinic_a.public_id), "coupon_id": str(coupon)}
    headers = {"Idempotency-Key": "checkout-1"}
    response = shop_api.post("/shop/checkout", body, headers=headers)
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["status"] == OrderStatus.AWAITING_PAYMENT
    assert (order["subtotal_fen"], order["discount_fen"], order["total_fen"]) == (
        29900,
        2000,
        27900,
    )
    assert order["lines"][0]["sku_id"] == str(world.shop.white.public_id)
    payment = order["payment"]
    assert payment["amount_fen"] == 27900 and payment["status"] == "created"
    assert payment["expires_at"]
    # A retried request returns the same order.
    again = shop_api.post("/shop/checkout", body, headers=headers)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == order["id"] and Order.objects.count() == 1
    pay(PaymentIntent.objects.get(public_id=payment["id"]))
    mine = shop_api.get("/shop/orders").json()
    assert [o["status"] for o in mine] == ["paid"]
    assert mine[0]["payment"]["status"] == "paid" and mine[0]["can_cancel"] is True


def test_out_of_stock_and_missing_address_answer_clearly(shop_api):
    world = shop_api.world
    _fill_cart(shop_api, world.shop.pink, 2)
    clinic = str(world.clinic_a.public_id)
    response = shop_api.post("/shop/checkout", {"clinic_id": clinic})
    assert response.status_code == 409
    assert response.json()["code"] == "out_of_stock" and "粉色" in response.json()["message"]
    response = shop_api.post("/shop/checkout", {"clinic_id": clinic, "fulfilment": "delivery"})
    assert response.status_code == 422 and response.json()["code"] == "address_required"
    assert CartItem.objects.count() == 1 and not Order.objects.exists()
    assert stock(world.clinic_a, world.shop.pink) == 1


def test_cancel_through_the_api(shop_api):
    world = shop_api.world
    _fill_cart(shop_api, world.shop.white)
    order = shop_api.post("/shop/checkout", {"clinic_id": str(world.clinic_a.public_id)}).json()
    response = shop_api.post(f"/shop/orders/{order['id']}/cancel", {"reason": "不要了"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled" and response.json()["close_reason"] == "不要了"
    again = shop_api.post(f"/shop/orders/{order['id']}/cancel")
    assert again.status_code == 409 and again.json()["code"] == "order_not_cancellable"
    assert stock(world.clinic_a, world.shop.white) == 5


def test_another_users_order_is_not_found(shop_api):
    world = shop_api.world
    _fill_cart(shop_api, world.shop.white)
    order = shop_api.post("/shop/checkout", {"clinic_id": str(world.clinic_a.public_id)}).json()
    shop_api.as_user(world.other_patient)
    for response in (
        shop_api.get(f"/shop/orders/{order['id']}"),
        shop_api.post(f"/shop/orders/{order['id']}/cancel"),
    ):
        assert response.status_code == 404 and response.json()["code"] == "order_not_found"
    assert shop_api.get("/shop/orders").json() == []
    assert Order.objects.get().status == OrderStatus.AWAITING_PAYMENT
    shop_api.as_user(world.clinic_a_front_desk)
    assert shop_api.get("/shop/cart").status_code == 403
