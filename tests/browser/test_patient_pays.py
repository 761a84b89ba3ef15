"""A patient grabs a flash-sale place and pays for it on their phone (payment simulator)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import screenshot
from tests.browser.test_patient_books import log_in
from yachi.payments.choices import IntentStatus
from yachi.payments.models import PaymentIntent
from yachi.shop.choices import OrderStatus
from yachi.shop.flash.services import flash_sale_create
from yachi.shop.models import FlashSale, Order

pytestmark = pytest.mark.browser


def test_patient_reserves_a_flash_sale_place_and_pays(live_server, world, phone_page):
    flash_sale_create(
        clinic=world.clinic_a,
        title="儿童涂氟 9.9 元",
        price_fen=990,
        original_price_fen=12800,
        places=100,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(days=1),
    )
    page, base = phone_page, live_server.url
    log_in(page, base, world.patient_parent.phone)
    page.goto(f"{base}/flash/")
    page.get_by_role("button", name="立即抢购").click()
    page.wait_for_url("**/pay/**")
    assert "¥9.90" in page.content()
    page.get_by_role("button", name="用模拟支付付款").click()
    page.wait_for_url("**/payments/simulator/**")
    page.get_by_role("button", name="确认支付（模拟）").click()
    page.wait_for_url("**/pay/**")
    page.wait_for_selector("text=已支付")
    screenshot(page, "patient-paid-flash-sale")
    intent = PaymentIntent.objects.get()
    assert intent.status == IntentStatus.PAID and intent.amount_fen == 990
    assert Order.objects.get().status == OrderStatus.PAID
    assert FlashSale.objects.get().remaining == 99
