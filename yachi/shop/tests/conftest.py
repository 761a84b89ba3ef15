"""A small catalogue on top of the shared personas, and paying through the simulator."""

from types import SimpleNamespace

import pytest

from yachi.growth import facade as growth
from yachi.growth.choices import Applicability, CouponKind
from yachi.growth.models import CouponTemplate
from yachi.payments import gateway
from yachi.payments.choices import Method
from yachi.payments.providers.simulator import SIGNATURE_HEADER, SimulatorProvider, sign
from yachi.shop.choices import Category
from yachi.shop.models import Product, Sku, Stock


def catalogue(world):
    brush = Product.objects.create(
        name="声波电动牙刷", name_en="Sonic toothbrush", category=Category.TOOTHBRUSH
    )
    floss = Product.objects.create(name="牙线", name_en="Floss", category=Category.FLOSS)
    white = Sku.objects.create(product=brush, code="brush-white", name="白色", price_fen=29900)
    pink = Sku.objects.create(product=brush, code="brush-pink", name="粉色", price_fen=29900)
    floss_50 = Sku.objects.create(product=floss, code="floss-50", name="50支装", price_fen=1990)
    for sku, a, b in ((white, 5, 2), (pink, 1, 0), (floss_50, 20, 10)):
        Stock.objects.create(clinic=world.clinic_a, sku=sku, quantity=a)
        Stock.objects.create(clinic=world.clinic_b, sku=sku, quantity=b)
    return SimpleNamespace(brush=brush, floss=floss, white=white, pink=pink, floss_50=floss_50)


@pytest.fixture
def shop(world):
    world.shop = catalogue(world)
    return world


def stock(clinic, sku) -> int:
    return Stock.objects.get(clinic=clinic, sku=sku).quantity


def give_coupon(user, *, amount_off_fen=3000, min_spend_fen=0, **fields):
    template = CouponTemplate.objects.create(
        name=fields.pop("name", "满100减30"),
        kind=CouponKind.FIXED_AMOUNT,
        amount_off_fen=amount_off_fen,
        applies_to=Applicability.ANY,
        min_spend_fen=min_spend_fen,
        valid_days=30,
        **fields,
    )
    return growth.coupon_issue(template_id=template, user=user, reason="test")


def give_points(user, points: int, key: str = "gift"):
    growth.points_earn(user=user, points=points, reason="activity", idempotency_key=key)


def pay(intent):
    """Pay through the real path: start at the simulator, pay, signed notification."""
    gateway.payment_start(intent=intent, method=Method.SIMULATOR)
    body = SimulatorProvider().pay(intent.out_trade_no)
    return gateway.callback_receive(
        method=Method.SIMULATOR, headers={SIGNATURE_HEADER: sign(body)}, body=body
    )
