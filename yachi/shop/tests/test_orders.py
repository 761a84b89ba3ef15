"""Checkout, payment, closing, cancelling and refunds of mall orders, through the services."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from yachi.core.errors import DomainError
from yachi.growth import facade as growth
from yachi.growth.choices import CouponStatus
from yachi.growth.models import Coupon
from yachi.payments import services as payment_services
from yachi.payments.choices import IntentStatus, Purpose
from yachi.payments.models import PaymentIntent
from yachi.shop import catalogue, services
from yachi.shop.choices import Fulfilment, OrderStatus
from yachi.shop.errors import OutOfStock
from yachi.shop.models import CartItem, Order
from yachi.shop.tests.conftest import give_coupon, give_points, pay, stock

# Committed for real: settling a payment and sending refunds happen after commit.
pytestmark = pytest.mark.django_db(transaction=True)


def checkout(world, **overrides):
    values = {
        "buyer": world.patient_parent,
        "clinic": world.clinic_a,
        "fulfilment": Fulfilment.PICKUP,
    }
    values.update(overrides)
    return services.order_checkout(**values)


def snapshot():
    from yachi.growth.models import PointsEntry
    from yachi.shop.models import Stock

    return (
        list(Stock.objects.order_by("pk").values()),
        list(Order.objects.values()),
        list(CartItem.objects.order_by("pk").values()),
        list(Coupon.objects.order_by("pk").values("status", "held_reference")),
        list(PointsEntry.objects.order_by("pk").values("delta")),
        list(PaymentIntent.objects.values()),
    )


def test_checkout_reserves_stock_and_asks_for_the_money(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.white, quantity=2)
    services.cart_add(user=shop.patient_parent, sku=shop.shop.floss_50)
    done = checkout(shop)
    order = done.order
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.subtotal_fen == order.total_fen == 2 * 29900 + 1990
    assert [(line.name, line.quantity) for line in order.lines.all()] == [
        ("声波电动牙刷 白色", 2),
        ("牙线 50支装", 1),
    ]
    assert stock(shop.clinic_a, shop.shop.white) == 3
    assert stock(shop.clinic_a, shop.shop.floss_50) == 19
    assert stock(shop.clinic_b, shop.shop.white) == 2  # other clinics untouched
    assert not CartItem.objects.exists()
    intent = done.payment
    assert intent.purpose == Purpose.SHOP_ORDER
    assert intent.reference == f"shop.order:{order.public_id}"
    assert intent.amount_fen == order.total_fen and intent.payer == shop.patient_parent


def test_prices_are_copied_onto_the_order(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.floss_50)
    order = checkout(shop).order
    catalogue.sku_save(
        actor=shop.clinic_a_manager,
        product=shop.shop.floss,
        sku=shop.shop.floss_50,
        code="floss-50",
        name="50支装",
        price_fen=2990,
    )
    assert order.lines.get().unit_price_fen == 1990


def test_out_of_stock_names_the_item_and_changes_nothing(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.floss_50)
    services.cart_add(user=shop.patient_parent, sku=shop.shop.pink, quantity=2)
    coupon = give_coupon(shop.patient_parent)
    give_points(shop.patient_parent, 500)
    before = snapshot()
    with pytest.raises(OutOfStock) as refused:
        checkout(shop, coupon_id=coupon, points=100)
    assert refused.value.code == "out_of_stock"
    assert "粉色" in str(refused.value.message)
    assert snapshot() == before


def test_delivery_needs_an_address(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.floss_50)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        checkout(shop, fulfilment=Fulfilment.DELIVERY, recipient_name="张妈妈")
    assert refused.value.code == "address_required"
    assert snapshot() == before
    order = checkout(
        shop,
        fulfilment=Fulfilment.DELIVERY,
        recipient_name="张妈妈",
        recipient_phone="138 0000 0001",
        address="上海市静安区南京西路1号",
    ).order
    order.refresh_from_db()
    assert order.address == "上海市静安区南京西路1号"
    assert order.recipient_phone == "13800000001"


@pytest.mark.parametrize(
    "bad",
    [
        {"fulfilment": "drone"},
        {"points": -1},
        {"points": True},
        {"coupon_id": "not-a-coupon"},
        {"recipient_phone": "12345"},
        {"recipient_name": "x" * 65},
    ],
)
def test_bad_input_changes_nothing(shop, bad):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.floss_50)
    before = snapshot()
    with pytest.raises(DomainError):
        checkout(shop, **bad)
    assert snapshot() == before


def test_empty_cart_and_too_many_points_are_refused(shop):
    with pytest.raises(DomainError) as refused:
        checkout(shop)
    assert refused.value.code == "cart_empty"
    services.cart_add(user=shop.patient_parent, sku=shop.shop.floss_50)
    give_points(shop.patient_parent, 5000)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        checkout(shop, points=1991)
    assert refused.value.code == "points_too_many"
    assert snapshot() == before


def test_coupon_and_points_come_off_the_total(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.white)
    coupon = give_coupon(shop.patient_parent, amount_off_fen=3000)
    give_points(shop.patient_parent, 1000)
    order = checkout(shop, coupon_id=coupon, points=1000).order
    assert (order.subtotal_fen, order.discount_fen, order.points_fen) == (29900, 3000, 1000)
    assert order.total_fen == 25900
    assert Coupon.objects.get(public_id=coupon).status == CouponStatus.HELD
    assert growth.points_balance(user=shop.patient_parent) == 0


def test_paid_order_redeems_its_coupon_and_earns_points(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.white)
    coupon = give_coupon(shop.patient_parent, amount_off_fen=3000)
    done = checkout(shop, coupon_id=coupon)
    pay(done.payment)
    order = Order.objects.get()
    assert order.status == OrderStatus.PAID and order.paid_at
    assert Coupon.objects.get(public_id=coupon).status == CouponStatus.REDEEMED
    assert growth.points_balance(user=shop.patient_parent) == 269  # 1 point per whole yuan paid
    # The sweep settling again changes nothing.
    from yachi.shop.handlers import on_paid

    with transaction.atomic():
        on_paid(PaymentIntent.objects.get())
    assert growth.points_balance(user=shop.patient_parent) == 269


def test_zero_total_is_paid_at_once(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.floss_50)
    coupon = give_coupon(shop.patient_parent, amount_off_fen=1000)
    give_points(shop.patient_parent, 990)
    done = checkout(shop, coupon_id=coupon, points=990)
    assert done.payment is None and not PaymentIntent.objects.exists()
    assert done.order.status == OrderStatus.PAID and done.order.total_fen == 0
    assert Coupon.objects.get(public_id=coupon).status == CouponStatus.REDEEMED


def test_unpaid_order_closes_after_the_window_and_gives_everything_back(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.white, quantity=2)
    coupon = give_coupon(shop.patient_parent)
    give_points(shop.patient_parent, 500)
    done = checkout(shop, coupon_id=coupon, points=500)
    assert stock(shop.clinic_a, shop.shop.white) == 3
    assert payment_services.intents_close_expired() == 0
    PaymentIntent.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert payment_services.intents_close_expired() == 1
    order = Order.objects.get(pk=done.order.pk)
    assert order.status == OrderStatus.CANCELLED and order.closed_at
    assert stock(shop.clinic_a, shop.shop.white) == 5
    assert Coupon.objects.get(public_id=coupon).status == CouponStatus.AVAILABLE
    assert growth.points_balance(user=shop.patient_parent) == 500
    # Closing again (a second sweep) gives nothing back twice.
    from yachi.shop.handlers import on_closed

    with transaction.atomic():
        on_closed(PaymentIntent.objects.get())
    assert stock(shop.clinic_a, shop.shop.white) == 5
    assert growth.points_balance(user=shop.patient_parent) == 500


def test_paying_a_closed_order_refunds_it(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.pink)
    done = checkout(shop)
    intent = done.payment
    from yachi.payments import gateway
    from yachi.payments.choices import Method
    from yachi.payments.providers.simulator import SIGNATURE_HEADER, SimulatorProvider, sign

    gateway.payment_start(intent=intent, method=Method.SIMULATOR)
    # The window passes while the payer is on the cashier page; the close reaches
    # the provider first, but a payment that slipped through still arrives.
    payment_services.intent_close(intent=intent, reason="expired", at_provider=False)
    assert stock(shop.clinic_a, shop.shop.pink) == 1
    body = SimulatorProvider().pay(intent.out_trade_no)
    gateway.callback_receive(
        method=Method.SIMULATOR, headers={SIGNATURE_HEADER: sign(body)}, body=body
    )
    intent.refresh_from_db()
    assert intent.status == IntentStatus.REFUNDED
    assert payment_services.balance_fen(intent) == 0
    order = Order.objects.get()
    assert order.status == OrderStatus.CANCELLED
    assert stock(shop.clinic_a, shop.shop.pink) == 1  # given back once, not twice


def test_buyer_cancels_unpaid_order(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.white)
    done = checkout(shop)
    order = services.order_cancel(actor=shop.patient_parent, order=done.order, reason="买错了")
    assert order.status == OrderStatus.CANCELLED and order.close_reason == "买错了"
    assert stock(shop.clinic_a, shop.shop.white) == 5
    assert PaymentIntent.objects.get().status == IntentStatus.CLOSED


def test_cancel_paid_order_refunds_and_puts_stock_back(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.white)
    give_points(shop.patient_parent, 900)
    done = checkout(shop, points=900)
    pay(done.payment)
    assert growth.points_balance(user=shop.patient_parent) == 290
    order = services.order_cancel(actor=shop.patient_parent, order=Order.objects.get())
    assert order.status == OrderStatus.REFUNDED
    intent = PaymentIntent.objects.get()
    assert intent.status == IntentStatus.REFUNDED and payment_services.balance_fen(intent) == 0
    assert stock(shop.clinic_a, shop.shop.white) == 5
    # The points used come back; the points the purchase earned go.
    assert growth.points_balance(user=shop.patient_parent) == 900


def test_orders_ready_for_pickup_are_cancelled_by_staff_only(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.white)
    pay(checkout(shop).payment)
    order = Order.objects.get()
    with pytest.raises(DomainError):
        services.order_advance(actor=shop.patient_parent, order=order, to_status=OrderStatus.READY)
    with pytest.raises(DomainError):  # pick-up orders are not shipped
        services.order_advance(
            actor=shop.clinic_a_front_desk, order=order, to_status=OrderStatus.SHIPPED
        )
    order = services.order_advance(
        actor=shop.clinic_a_front_desk, order=order, to_status=OrderStatus.READY
    )
    with pytest.raises(DomainError) as refused:
        services.order_cancel(actor=shop.patient_parent, order=order)
    assert refused.value.code == "order_not_cancellable"
    with pytest.raises(DomainError) as refused:
        services.order_refund(actor=shop.clinic_a_front_desk, order=order, reason=" ")
    assert refused.value.code == "reason_required"
    order = services.order_refund(actor=shop.clinic_a_front_desk, order=order, reason="缺货")
    assert order.status == OrderStatus.REFUNDED
    assert stock(shop.clinic_a, shop.shop.white) == 5


def test_picked_up_orders_keep_their_stock_when_refunded(shop):
    services.cart_add(user=shop.patient_parent, sku=shop.shop.white)
    pay(checkout(shop).payment)
    desk = shop.clinic_a_front_desk
    order = services.order_advance(actor=desk, order=Order.objects.get(), to_status="ready")
    order = services.order_advance(actor=desk, order=order, to_status="completed")
    order = services.order_refund(actor=desk, order=order, reason="质量问题")
    assert order.status == OrderStatus.REFUNDED
    assert stock(shop.clinic_a, shop.shop.white) == 4


def test_stock_adjustments_never_go_below_zero(shop):
    desk = shop.clinic_a_front_desk
    assert (
        catalogue.stock_adjust(actor=desk, clinic=shop.clinic_a, sku=shop.shop.pink, delta=4) == 5
    )
    with pytest.raises(DomainError) as refused:
        catalogue.stock_adjust(actor=desk, clinic=shop.clinic_a, sku=shop.shop.pink, delta=-6)
    assert refused.value.code == "stock_negative"
    assert stock(shop.clinic_a, shop.shop.pink) == 5
    with pytest.raises(DomainError):
        catalogue.product_save(actor=desk, name="x", category="floss")  # managers only
    # Who moved stock, and by how much, is in the audit trail; refusals leave no entry.
    from yachi.compliance.models import AuditEntry

    entries = AuditEntry.objects.filter(action="stock_changed")
    assert [(e.actor_id, e.details) for e in entries] == [(desk.pk, {"delta": 4})]


def test_last_item_bought_by_two_at_once_goes_to_one(shop):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    buyers = [shop.patient_parent, shop.other_patient]
    for buyer in buyers:
        services.cart_add(user=buyer, sku=shop.shop.pink)
    barrier = threading.Barrier(len(buyers))
    outcomes = []

    def buy(buyer):
        try:
            barrier.wait()
            checkout(shop, buyer=buyer)
            outcomes.append("ok")
        except OutOfStock:
            outcomes.append("out_of_stock")
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(b,)) for b in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "out_of_stock"]
    assert stock(shop.clinic_a, shop.shop.pink) == 0
    assert Order.objects.count() == 1 and PaymentIntent.objects.count() == 1
