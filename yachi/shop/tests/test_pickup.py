"""Pick-up orders: the buyer's QR code, the front desk handing the order over, the
buyer's cancel button until the clinic starts preparing, and the way back from paying."""

import pytest

from tests.apiclient import ApiClient
from yachi.compliance.facade import AuditAction
from yachi.compliance.models import AuditEntry
from yachi.payments.models import PaymentIntent
from yachi.shop import services
from yachi.shop.choices import OrderStatus
from yachi.shop.models import Order
from yachi.shop.tests.conftest import pay, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(shop, django_capture_on_commit_callbacks):
    """A paid pick-up order of the parent's at clinic A."""

    def make(fulfilment="pickup", **recipient):
        services.cart_add(user=shop.patient_parent, sku=shop.shop.white)
        done = services.order_checkout(
            buyer=shop.patient_parent, clinic=shop.clinic_a, fulfilment=fulfilment, **recipient
        )
        with django_capture_on_commit_callbacks(execute=True):
            pay(done.payment)
        return Order.objects.get(pk=done.order.pk)

    return make


def order_page(client, order) -> str:
    return client.get(f"/shop/orders/{order.public_id}/").content.decode()


def test_a_paid_pick_up_order_shows_its_code_as_a_qr_code(client, shop, paid):
    order = paid()
    client.force_login(shop.patient_parent)
    page = order_page(client, order)
    assert "取货码" in page and "<svg" in page
    shown = f"{order.pickup_code[:4]} {order.pickup_code[4:]}"
    assert shown in page
    body = ApiClient().as_user(shop.patient_parent).get(f"/shop/orders/{order.public_id}").json()
    assert body["pickup_code"] == order.pickup_code
    assert body["pickup_qr"] == "yachi-pickup:" + order.pickup_code


def test_delivery_and_unpaid_orders_show_no_pick_up_code(client, shop, paid):
    delivery = paid(
        "delivery", recipient_name="张妈妈", recipient_phone="13800000001", address="上海市静安区"
    )
    assert delivery.pickup_code is None
    services.cart_add(user=shop.patient_parent, sku=shop.shop.floss_50)
    unpaid = services.order_checkout(
        buyer=shop.patient_parent, clinic=shop.clinic_a, fulfilment="pickup"
    ).order
    client.force_login(shop.patient_parent)
    assert "取货码" not in order_page(client, delivery)
    assert unpaid.pickup_code and unpaid.pickup_code not in order_page(client, unpaid)


def test_the_front_desk_scans_the_code_and_hands_the_order_over(client, shop, paid):
    order = paid()
    pickup = f"/console/clinic/{shop.clinic_a.public_id}/shop/pickup/"
    client.force_login(shop.clinic_a_front_desk)
    # As a scanner types it (the QR's text), or as a person reads it out.
    for typed in (f"yachi-pickup:{order.pickup_code}", order.pickup_code.lower()):
        page = client.get(pickup, {"code": typed}).content.decode()
        assert order.number in page and "声波电动牙刷 白色" in page and "交付：已取货" in page
    code = f"{order.pickup_code[:4]} {order.pickup_code[4:]}"
    response = client.post(pickup, {"code": code, "step": "hand_over"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    entry = AuditEntry.objects.get(action=AuditAction.ORDER_HANDLED, object_id=str(order.public_id))
    assert entry.actor_id == shop.clinic_a_front_desk.pk
    assert entry.details == {"step": "completed", "by": "pickup_code"}
    # Scanned again: said plainly, and nothing changes.
    page = client.get(pickup, {"code": order.pickup_code}).content.decode()
    assert "该订单已取货" in page and "交付：已取货" not in page
    client.post(pickup, {"code": order.pickup_code, "step": "hand_over"})
    assert AuditEntry.objects.filter(action=AuditAction.ORDER_HANDLED).count() == 1
    # And the buyer's page no longer shows the code.
    client.force_login(shop.patient_parent)
    assert order.pickup_code not in order_page(client, order)


def test_a_code_of_another_clinic_or_a_wrong_code_is_not_found(client, shop, paid):
    order = paid()
    client.force_login(shop.clinic_b_front_desk)
    pickup_b = f"/console/clinic/{shop.clinic_b.public_id}/shop/pickup/"
    page = client.get(pickup_b, {"code": order.pickup_code}).content.decode()
    assert "本店没有使用此取货码的自提订单" in page and order.number not in page
    client.post(pickup_b, {"code": order.pickup_code, "step": "hand_over"})
    pickup_a = f"/console/clinic/{shop.clinic_a.public_id}/shop/pickup/"
    assert client.get(pickup_a, {"code": order.pickup_code}).status_code == 404
    client.force_login(shop.clinic_a_front_desk)
    page = client.get(pickup_a, {"code": "ZZZZ9999"}).content.decode()
    assert "本店没有使用此取货码的自提订单" in page
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_no_cancel_once_the_clinic_is_preparing_the_order(client, shop, paid):
    order = paid()
    client.force_login(shop.patient_parent)
    assert "取消订单" in order_page(client, order)
    client.force_login(shop.clinic_a_front_desk)
    client.post(f"/console/shop/orders/{order.public_id}/step/", {"step": "preparing"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PREPARING

    client.force_login(shop.patient_parent)
    page = order_page(client, order)
    assert "备货中" in page and "取消订单" not in page and "诊所已开始备货" in page
    api = ApiClient().as_user(shop.patient_parent)
    response = api.post(f"/shop/orders/{order.public_id}/cancel")
    assert response.status_code == 409
    assert response.json()["code"] == "order_not_cancellable"
    assert "诊所已开始备货" in response.json()["message"]
    assert api.get(f"/shop/orders/{order.public_id}").json()["can_cancel"] is False
    # The page's form, posted anyway, changes nothing either.
    client.post(f"/shop/orders/{order.public_id}/cancel/")
    order.refresh_from_db()
    assert order.status == OrderStatus.PREPARING and order.closed_at is None
    assert stock(shop.clinic_a, shop.shop.white) == 4
    # Preparing, then ready, then handed over with the code.
    client.force_login(shop.clinic_a_front_desk)
    client.post(f"/console/shop/orders/{order.public_id}/step/", {"step": "ready"})
    order.refresh_from_db()
    assert order.status == OrderStatus.READY


def test_the_payment_result_links_to_the_order(client, shop, paid):
    order = paid()
    intent = PaymentIntent.objects.get(reference=f"shop.order:{order.public_id}")
    client.force_login(shop.patient_parent)
    page = client.get(f"/pay/{intent.public_id}/").content.decode()
    assert "已支付" in page
    assert f'href="/shop/orders/{order.public_id}/"' in page and "查看订单" in page
