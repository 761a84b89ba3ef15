from datetime import timedelta

import pytest
from django.utils import timezone

from yachi.growth.choices import Applicability, CouponKind
from yachi.growth.models import CouponTemplate


def template(**fields) -> CouponTemplate:
    values = {
        "name": "满200减30",
        "kind": CouponKind.FIXED_AMOUNT,
        "amount_off_fen": 3000,
        "applies_to": Applicability.ANY,
        "valid_days": 30,
    }
    values.update(fields)
    return CouponTemplate.objects.create(**values)


@pytest.fixture
def fixed_off():
    """满200减30 on care products."""
    return template(
        applies_to=Applicability.PRODUCTS, item_codes=["toothpaste", "floss"], min_spend_fen=20000
    )


@pytest.fixture
def scaling_70():
    """洁牙7折: pay 70 % of a cleaning."""
    return template(
        name="洁牙7折",
        kind=CouponKind.PERCENTAGE,
        amount_off_fen=0,
        pay_percent=70,
        applies_to=Applicability.SERVICES,
        item_codes=["cleaning"],
    )


@pytest.fixture
def free_floss():
    return template(
        name="免费牙线",
        kind=CouponKind.FREE_ITEM,
        amount_off_fen=0,
        applies_to=Applicability.PRODUCTS,
        item_codes=["floss"],
        points_cost=500,
    )


@pytest.fixture
def ended():
    now = timezone.now()
    return template(valid_days=None, valid_until=now - timedelta(days=1))
