"""Coupons and points for the first ten demo patients (13800000001–13800000010), through
the real services, so that 我的优惠券, 我的积分 and the console's coupon pages show
something."""

import random
from datetime import timedelta

from django.utils import timezone

from yachi.accounts.models import User
from yachi.core.roles import ClinicRole, Role
from yachi.growth import ledger, services
from yachi.growth.activities import points_for_activity
from yachi.growth.choices import Applicability, CouponKind, CouponStatus, PointsReason
from yachi.growth.models import Coupon, CouponTemplate

TEMPLATES = [
    {
        "name": "洁牙7折",
        "name_en": "30% off scaling",
        "kind": CouponKind.PERCENTAGE,
        "pay_percent": 70,
        "applies_to": Applicability.SERVICES,
        "item_codes": ["cleaning"],
        "valid_days": 60,
        "per_person_limit": 2,
    },
    {
        "name": "满200减30",
        "name_en": "¥30 off ¥200 of care products",
        "kind": CouponKind.FIXED_AMOUNT,
        "amount_off_fen": 3000,
        "applies_to": Applicability.PRODUCTS,
        "item_codes": [
            "s1-white",
            "s1-pink",
            "s1-black",
            "water-flosser",
            "whitening-kit-7",
            "whitening-kit-14",
        ],
        "min_spend_fen": 20000,
        "valid_days": 30,
        "total_quantity": 500,
    },
    {
        "name": "免费牙线",
        "name_en": "Free dental floss",
        "kind": CouponKind.FREE_ITEM,
        "applies_to": Applicability.PRODUCTS,
        "item_codes": ["floss-pick-50"],
        "valid_days": 30,
        "points_cost": 500,
    },
    {
        "name": "20元无门槛券",
        "name_en": "¥20 off anything",
        "kind": CouponKind.FIXED_AMOUNT,
        "amount_off_fen": 2000,
        "applies_to": Applicability.ANY,
        "valid_days": 30,
        "points_cost": 2000,
        "total_quantity": 200,
    },
]


def build_growth(*, rng: random.Random) -> int:
    """Returns how many coupons were issued."""
    templates = [CouponTemplate.objects.create(**spec) for spec in TEMPLATES]
    scaling, products, floss, _voucher = templates
    people = list(User.objects.filter(role=Role.PATIENT).order_by("pk")[:10])
    manager = User.objects.filter(memberships__role=ClinicRole.MANAGER).order_by("pk").first()
    issued = []
    for index, person in enumerate(people):
        earned = rng.randint(3, 30) * 100
        ledger.points_earn(
            user=person,
            points=earned,
            reason=PointsReason.PAID_SPEND,
            idempotency_key=f"demo:paid:{person.public_id}",
            reference="demo.visit",
            note="洁牙",
        )
        ledger.points_earn(
            user=person,
            points=50,
            reason=PointsReason.ACTIVITY,
            idempotency_key=f"demo:checkin:{person.public_id}",
            note="每日刷牙打卡",
        )
        if index < 3:
            points_for_activity(user=person, activity="survey", reference="2026 年满意度问卷")
        issued.append(
            services.coupon_issue(template_id=scaling, user=person, reason="新客礼", actor=manager)
        )
        issued.append(services.coupon_issue(template_id=products, user=person, reason="会员日活动"))
        if index % 3 == 0 and earned + 50 >= floss.points_cost:
            ledger.points_spend(
                user=person,
                points=floss.points_cost,
                reason=PointsReason.REWARD_REDEEM,
                idempotency_key=f"demo:floss:{person.public_id}",
                note=floss.name,
            )
            issued.append(services.coupon_issue(template_id=floss, user=person, reason="积分兑换"))
    # Some history on the used and expired tabs.
    now = timezone.now()
    if issued:
        Coupon.objects.filter(public_id__in=issued[0::5]).update(
            status=CouponStatus.REDEEMED, redeemed_reference="demo.visit", redeemed_at=now
        )
        Coupon.objects.filter(public_id__in=issued[3::7]).update(
            status=CouponStatus.EXPIRED, expires_at=now - timedelta(days=rng.randint(1, 20))
        )
    return len(issued)
