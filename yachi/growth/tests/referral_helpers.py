"""Shared steps of the referral tests: a campaign, a sign-up through the accounts'
sign-in step (the device and address as a phone would show them), a first visit."""

import itertools
from datetime import timedelta

from django.utils import timezone

from tests import factories as f
from yachi.accounts.registrations import SignIn, signed_in
from yachi.growth.facade import invite_code_for, referral_visit_completed
from yachi.growth.models import ReferralCampaign
from yachi.growth.referrals.choices import RewardKind

_phones = itertools.count(1)
_addresses = itertools.count(1)


def campaign(**fields) -> ReferralCampaign:
    values = {
        "name": "老带新 · 邀请好友",
        "starts_at": timezone.now() - timedelta(days=1),
        "level1_kind": RewardKind.POINTS,
        "level1_points": 500,
        "level2_kind": RewardKind.POINTS,
        "level2_points": 200,
    }
    values.update(fields)
    return ReferralCampaign.objects.create(**values)


def phone(prefix: str = "139") -> str:
    return f"{prefix}{next(_phones):08d}"


def fresh_address() -> str:
    n = next(_addresses)
    return f"198.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def sign_up(*, inviter=None, code=None, device=None, ip=None, number=None, new=True):
    """A new patient registers (with ``inviter``'s code, if any) from a device and an
    address of their own unless told; returns the user and the login's answer fields."""
    user = f.patient_user(number or phone(), name="新患者")
    answer = signed_in(
        SignIn(
            user=user,
            new_account=new,
            method="sms_code",
            invite_code=code or (invite_code_for(inviter) if inviter else ""),
            device={"install_id": device or f"install-{user.pk}", "model": "iPhone15,2"},
            ip=ip or fresh_address(),
            user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
            accept_language="zh-CN",
        )
    )
    return user, answer


def first_visit(user, n: int = 1):
    return referral_visit_completed(user=user, reference=f"booking.appointment:test-{user.pk}-{n}")
