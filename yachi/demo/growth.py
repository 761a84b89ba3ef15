"""Coupons and points: for the first ten demo patients (13800000001–13800000010) through
the real services, so that 我的优惠券, 我的积分 and the console's coupon pages show
something; for the other families from the plan, in bulk."""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from yachi.accounts.models import User
from yachi.core.roles import ClinicRole, Role
from yachi.demo.writing import bulk
from yachi.growth import ledger, services
from yachi.growth.activities import points_for_activity
from yachi.growth.choices import Applicability, CouponKind, CouponStatus, PointsReason
from yachi.growth.codes import ALPHABET as CODE_ALPHABET
from yachi.growth.codes import LENGTH as CODE_LENGTH
from yachi.growth.models import (
    Coupon,
    CouponAllowance,
    CouponTemplate,
    PointsAccount,
    PointsEntry,
)

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


@dataclass
class HistoryGrowth:
    coupons: int
    points: int
    families: int


STATUSES = {
    "issued": CouponStatus.AVAILABLE,
    "redeemed": CouponStatus.REDEEMED,
    "expired": CouponStatus.EXPIRED,
}


def build_history_growth(*, plan, owners) -> HistoryGrowth:
    """The other families' coupons (welcome scaling coupons, member-day product coupons,
    floss for points; used on bills and orders or expired) and their points ledgers,
    as the plan has them, in bulk."""
    rng = random.Random(plan.seed + 3)
    templates = {
        # The templates build_growth has just made.
        key: CouponTemplate.objects.filter(name=name).latest("pk")
        for key, name in (("scaling", "洁牙7折"), ("products", "满200减30"), ("floss", "免费牙线"))
    }
    coupons = [
        Coupon(
            public_id=grant.public_id,
            template=templates[grant.template],
            owner=owners[grant.family],
            code="".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
            status=STATUSES[grant.status],
            issued_reason=grant.reason,
            valid_from=grant.issued_at,
            expires_at=grant.expires_at,
            discount_fen=grant.discount_fen,
            redeemed_reference=grant.redeemed_reference,
            redeemed_at=grant.redeemed_at,
            created_at=grant.issued_at,
            updated_at=grant.redeemed_at or grant.issued_at,
        )
        for grant in plan.coupons
    ]
    bulk(Coupon, coupons)
    for key, template in templates.items():
        issued = [c for c in plan.coupons if c.template == key]
        CouponTemplate.objects.filter(pk=template.pk).update(
            issued_count=F("issued_count") + len(issued)
        )
        if template.per_person_limit is not None:
            CouponAllowance.objects.bulk_create(
                CouponAllowance(template=template, owner=owners[family], issued=count)
                for family, count in Counter(c.family for c in issued).items()
            )
    balances, entries = defaultdict(int), []
    for posting in plan.points:
        balances[posting.family] += posting.delta
        entries.append(
            PointsEntry(
                user=owners[posting.family],
                delta=posting.delta,
                reason=posting.reason,
                note=posting.note,
                reference=posting.reference,
                idempotency_key=posting.key,
                balance_after=balances[posting.family],
                created_at=posting.at,
            )
        )
    PointsAccount.objects.bulk_create(
        PointsAccount(user=owners[family], balance=balance) for family, balance in balances.items()
    )
    bulk(PointsEntry, entries)
    return HistoryGrowth(len(coupons), len(entries), len(balances))
