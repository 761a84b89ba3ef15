"""A running group-buy (3 人成团种植牙) with a forming and a confirmed group, and a check-in
challenge (连续 7 天刷牙打卡) with streaks, through the real services and payments."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from yachi.accounts.models import User
from yachi.clinics.choices import Skill
from yachi.clinics.models import Service
from yachi.core.roles import ClinicRole, Role
from yachi.growth.challenges import services as challenges
from yachi.growth.choices import Applicability, CouponKind
from yachi.growth.groupbuys import services as groupbuys
from yachi.growth.models import CouponTemplate
from yachi.payments import services as payments
from yachi.payments.choices import Method


@dataclass
class Activities:
    groups: int
    members: int
    check_ins: int
    rewarded: int


def _pay(intent) -> None:
    """Paid in the app: the provider's notification, then the owner settles."""
    payments.payment_received(
        method=Method.SIMULATOR,
        out_trade_no=intent.out_trade_no,
        amount_fen=intent.amount_fen,
        provider_trade_no=f"SIM{intent.out_trade_no}",
        source="demo",
    )
    payments.intent_settle(intent_id=intent.pk)


def build_group_buys_and_challenges(*, clinic, rng: random.Random) -> Activities:
    now = timezone.now()
    manager = (
        User.objects.filter(memberships__clinic=clinic, memberships__role=ClinicRole.MANAGER)
        .order_by("pk")
        .first()
    )
    people = list(User.objects.filter(role=Role.PATIENT).order_by("pk")[:12])
    implant, _ = Service.objects.get_or_create(
        clinic=clinic,
        code="implant",
        defaults={
            "name": "种植牙",
            "name_en": "Dental implant",
            "duration_minutes": 60,
            "price_fen": 880000,
            "required_skill": Skill.IMPLANT,
        },
    )
    campaign = groupbuys.campaign_create(
        actor=manager,
        clinic=clinic,
        service=implant,
        title="3 人成团种植牙",
        description="进口种植体套餐（含种植体、基台、牙冠），3 人成团每人 6800 元；团长免麻醉费。",
        size=3,
        price_fen=680000,
        leader_discount_fen=30000,
        leader_benefit="团长免麻醉费",
        fill_hours=48,
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(days=60),
        stock=20,
        voucher_valid_days=180,
    )
    members = 0
    # A confirmed group: a leader and two friends, all paid, each with a voucher.
    full, _, intent = groupbuys.group_start(user=people[3], campaign=campaign)
    _pay(intent)
    full.refresh_from_db()
    for person in people[4:6]:
        _member, intent = groupbuys.group_join(user=person, group=full)
        _pay(intent)
    members += 3
    # A forming group of the first demo patient: two of three paid, one place open.
    forming, _, intent = groupbuys.group_start(user=people[0], campaign=campaign)
    _pay(intent)
    forming.refresh_from_db()
    _member, intent = groupbuys.group_join(user=people[6], group=forming)
    _pay(intent)
    members += 2

    reward = CouponTemplate.objects.create(
        name="免费刷头",
        name_en="Free brush heads",
        kind=CouponKind.FREE_ITEM,
        applies_to=Applicability.PRODUCTS,
        item_codes=["s1-heads-2"],
        valid_days=60,
    )
    today = timezone.localdate(now, ZoneInfo(clinic.timezone))
    challenge = challenges.challenge_create(
        actor=manager,
        clinic=clinic,
        title="连续 7 天刷牙打卡",
        description="每天早晚认真刷牙两分钟，来打卡吧。连续 7 天即得 S1 替换刷头 2 支装一份。",
        days_required=7,
        reward_template=reward,
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=40),
    )
    check_ins = 0
    # Days ago each patient checked in: the first has a run of 4 up to yesterday (today
    # still to do), the second finished 7 in a row, others broke their runs.
    runs = {
        0: [4, 3, 2, 1, 7, 8],
        1: [9, 8, 7, 6, 5, 4, 3, 1],
        2: [6, 5, 3, 2],
        3: [12, 11, 10, 1, 0],
        4: [rng.randint(1, 15) for _ in range(3)],
    }
    for index, days_ago in runs.items():
        for ago in sorted(set(days_ago), reverse=True):
            # In the morning of that day at the clinic, never to the minute the same (a
            # script's check-ins would be, and anti-fraud would hold the reward).
            day = timezone.localtime(now, ZoneInfo(clinic.timezone)).date() - timedelta(days=ago)
            moment = datetime.combine(
                day, time(7, rng.randint(0, 59)), tzinfo=ZoneInfo(clinic.timezone)
            )
            challenges.check_in(user=people[index], challenge=challenge, now=moment)
            check_ins += 1
    rewarded = challenge.rewards.count()
    return Activities(groups=2, members=members, check_ins=check_ins, rewarded=rewarded)
