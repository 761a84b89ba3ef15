"""The mall's patient pages and console pages, driven through Django's test client."""

import pytest

from yachi.payments.models import PaymentIntent
from yachi.shop.choices import OrderStatus
from yachi.shop.models import CartItem, Order, Product
from yachi.shop.tests.conftest import give_coupon, give_points, pay, stock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def parent_client(client, shop):
    client.force_login(shop.patient_parent)
    return client


def test_mall_pages_need_a_patient_login(client, shop):
    response = client.get("/shop/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.force_login(shop.clinic_a_front_desk)
    assert client.get("/shop/cart/").status_code == 403


def test_from_the_product_list_to_an_order_to_pay(parent_client, shop):
    world, catalogue = shop, shop.shop
    page = parent_client.get("/shop/", {"clinic": world.clinic_b.public_id}).content.decode()
    assert "声波电动牙刷" in page and "牙线" in page and "¥19.90" in page
    assert 'href="/shop/"' in parent_client.get("/").content.decode()  # in the tab bar
    page = parent_client.get(f"/shop/products/{catalogue.brush.public_id}/").content.decode()
    # The clinic chosen before is remembered: clinic B has no pink brush.
    assert "2 left" in page or "剩 2 件" in page, page
    response = parent_client.post(
        "/shop/cart/add/", {"sku": catalogue.white.public_id, "quantity": "2", "go": "cart"}
    )
    assert response.status_code == 302 and response["Location"] == "/shop/cart/"
    assert "¥598.00" in parent_client.get("/shop/cart/").content.decode()
    coupon = give_coupon(world.patient_parent, amount_off_fen=5000, name="满300减50")
    give_points(world.patient_parent, 300)
    page = parent_client.get("/shop/checkout/").content.decode()
    assert "满300减50" in page and "¥50.00" in page
    summary = parent_client.get(
        "/shop/checkout/",
        {"coupon": coupon, "points": "300", "clinic_id": world.clinic_a.public_id},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "¥545.00" in summary and "<html" not in summary  # 598 − 50 − 3
    response = parent_client.post(
        "/shop/checkout/",
        {
            "clinic_id": world.clinic_a.public_id,
            "fulfilment": "pickup",
            "coupon": coupon,
            "points": "300",
            "idempotency_key": "page-1",
        },
    )
    order = Order.objects.get()
    assert response["Location"] == f"/shop/orders/{order.public_id}/"
    assert order.total_fen == 54500 and stock(world.clinic_a, catalogue.white) == 3
    intent = PaymentIntent.objects.get()
    page = parent_client.get(response["Location"]).content.decode()
    assert f'href="/pay/{intent.public_id}/"' in page
    # A double tap on the button orders nothing more.
    parent_client.post(
        "/shop/checkout/",
        {
            "clinic_id": world.clinic_a.public_id,
            "coupon": coupon,
            "points": "300",
            "idempotency_key": "page-1",
            "fulfilment": "pickup",
        },
    )
    assert Order.objects.count() == 1
    pay(intent)
    page = parent_client.get("/shop/orders/").content.decode()
    assert "status-paid" in page
    page = parent_client.get(f"/shop/orders/{order.public_id}/").content.decode()
    assert "/pay/" not in page


def test_delivery_without_address_stays_on_checkout(parent_client, shop):
    parent_client.post("/shop/cart/add/", {"sku": shop.shop.floss_50.public_id, "quantity": "1"})
    response = parent_client.post(
        "/shop/checkout/", {"clinic_id": shop.clinic_a.public_id, "fulfilment": "delivery"}
    )
    assert response.status_code == 200
    assert not Order.objects.exists() and CartItem.objects.count() == 1


def test_cancel_from_the_order_page(parent_client, shop):
    parent_client.post("/shop/cart/add/", {"sku": shop.shop.white.public_id, "quantity": "1"})
    parent_client.post(
        "/shop/checkout/", {"clinic_id": shop.clinic_a.public_id, "fulfilment": "pickup"}
    )
    order = Order.objects.get()
    parent_client.post(f"/shop/orders/{order.public_id}/cancel/")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert stock(shop.clinic_a, shop.shop.white) == 5


def test_another_patients_order_page_is_not_found(client, shop):
    client.force_login(shop.other_patient)
    client.post("/shop/cart/add/", {"sku": shop.shop.white.public_id, "quantity": "1"})
    client.post("/shop/checkout/", {"clinic_id": shop.clinic_a.public_id, "fulfilment": "pickup"})
    order = Order.objects.get()
    client.force_login(shop.patient_parent)
    assert client.get(f"/shop/orders/{order.public_id}/").status_code == 404
    assert client.post(f"/shop/orders/{order.public_id}/cancel/").status_code == 404
    assert Order.objects.get().status == OrderStatus.AWAITING_PAYMENT


def test_cart_line_quantity_and_removal(parent_client, shop):
    sku = shop.shop.floss_50
    parent_client.post("/shop/cart/add/", {"sku": sku.public_id, "quantity": "1"})
    parent_client.post(f"/shop/cart/{sku.public_id}/", {"quantity": "5"})
    assert CartItem.objects.get().quantity == 5
    parent_client.post(f"/shop/cart/{sku.public_id}/", {"quantity": "500"})
    assert CartItem.objects.get().quantity == 5  # refused with a message
    parent_client.post(f"/shop/cart/{sku.public_id}/", {"action": "remove"})
    assert not CartItem.objects.exists()


def test_product_pages_do_not_show_inactive_products(parent_client, shop):
    Product.objects.filter(pk=shop.shop.floss.pk).update(is_active=False)
    assert str(shop.shop.floss.public_id) not in parent_client.get("/shop/").content.decode()
    assert parent_client.get(f"/shop/products/{shop.shop.floss.public_id}/").status_code == 404


# --- console ---------------------------------------------------------------------------


def _paid_order(shop, buyer=None, clinic=None):
    from yachi.shop import services

    buyer = buyer or shop.patient_parent
    services.cart_add(user=buyer, sku=shop.shop.white)
    done = services.order_checkout(buyer=buyer, clinic=clinic or shop.clinic_a, fulfilment="pickup")
    pay(done.payment)
    return Order.objects.get(pk=done.order.pk)


def test_front_desk_prepares_and_hands_over_an_order(client, shop):
    order = _paid_order(shop)
    client.force_login(shop.clinic_a_front_desk)
    page = client.get(f"/console/clinic/{shop.clinic_a.public_id}/shop/orders/", {"status": "paid"})
    assert order.number in page.content.decode()
    page = client.get(f"/console/shop/orders/{order.public_id}/").content.decode()
    assert "声波电动牙刷 白色" in page
    step = f"/console/shop/orders/{order.public_id}/step/"
    client.post(step, {"step": "ready"})
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    client.post(step, {"step": "completed"})
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_front_desk_cancels_and_refunds_with_a_reason(client, shop):
    order = _paid_order(shop)
    client.force_login(shop.clinic_a_front_desk)
    step = f"/console/shop/orders/{order.public_id}/step/"
    client.post(step, {"step": "refund", "reason": ""})
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    client.post(step, {"step": "refund", "reason": "顾客改主意"})
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and order.close_reason == "顾客改主意"
    assert stock(shop.clinic_a, shop.shop.white) == 5


def test_another_clinics_orders_are_not_found_in_the_console(client, shop):
    order = _paid_order(shop, clinic=shop.clinic_b)
    client.force_login(shop.clinic_a_front_desk)
    assert client.get(f"/console/shop/orders/{order.public_id}/").status_code == 404
    assert (
        client.post(f"/console/shop/orders/{order.public_id}/step/", {"step": "ready"}).status_code
        == 404
    )
    assert client.get(f"/console/clinic/{shop.clinic_b.public_id}/shop/orders/").status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_stock_is_kept_per_clinic(client, shop):
    client.force_login(shop.clinic_a_front_desk)
    url = f"/console/clinic/{shop.clinic_a.public_id}/shop/stock/"
    assert "brush-pink" in client.get(url).content.decode()
    client.post(url, {"sku": shop.shop.pink.public_id, "mode": "adjust", "amount": "10"})
    assert stock(shop.clinic_a, shop.shop.pink) == 11
    client.post(url, {"sku": shop.shop.pink.public_id, "mode": "adjust", "amount": "-20"})
    assert stock(shop.clinic_a, shop.shop.pink) == 11
    client.post(url, {"sku": shop.shop.pink.public_id, "mode": "set", "amount": "3"})
    assert stock(shop.clinic_a, shop.shop.pink) == 3
    assert stock(shop.clinic_b, shop.shop.pink) == 0


def test_managers_edit_the_catalogue_and_front_desk_cannot(client, shop):
    client.force_login(shop.clinic_a_front_desk)
    assert client.get("/console/shop/products/").status_code == 403
    client.post("/console/shop/products/", {"name": "冲牙器", "category": "toothbrush"})
    assert not Product.objects.filter(name="冲牙器").exists()
    client.force_login(shop.clinic_a_manager)
    response = client.post(
        "/console/shop/products/", {"name": "冲牙器", "category": "toothbrush", "is_active": "on"}
    )
    product = Product.objects.get(name="冲牙器")
    assert response["Location"] == f"/console/shop/products/{product.public_id}/"
    client.post(
        response["Location"],
        {
            "form": "sku",
            "code": "flosser-w",
            "variant": "白色",
            "price": "199.50",
            "is_active": "on",
        },
    )
    assert product.skus.get().price_fen == 19950
    page = client.get(response["Location"]).content.decode()
    assert 'value="199.50"' in page
