"""Scripted attacks on the referral rewards: their rewards are held for review while
ordinary patients' are paid; staff then approve (paid once) or reject (never paid)."""

import contextlib

import pytest

from yachi.compliance.models import AuditEntry
from yachi.core.errors import Conflict
from yachi.growth.facade import invite_code_for, points_balance, screen_reward
from yachi.growth.fraud.choices import ReviewStatus
from yachi.growth.fraud.services import review_decide
from yachi.growth.models import ReferralReward, RiskReview
from yachi.growth.referrals.choices import RewardStatus
from yachi.growth.referrals.services import referral_accept
from yachi.growth.tests.referral_helpers import campaign, first_visit, phone, sign_up

pytestmark = pytest.mark.django_db


def _rules(user):
    return {
        reason["rule"]
        for review in RiskReview.objects.filter(beneficiary=user)
        for reason in review.reasons
    }


def _ordinary_pair(world):
    """An ordinary patient invites a friend, who comes and pays: that reward is paid."""
    friend, _ = sign_up(inviter=world.other_patient)
    first_visit(friend)
    return friend


def test_a_device_farm_of_twenty_accounts_is_held(world):
    campaign()
    farmer, _ = sign_up()
    farm = [sign_up(inviter=farmer, device="one-rooted-phone")[0] for _ in range(20)]
    for account in farm:
        first_visit(account)
    _ordinary_pair(world)

    rewards = ReferralReward.objects.filter(beneficiary=farmer)
    assert rewards.count() == 20
    assert set(rewards.values_list("status", flat=True)) == {RewardStatus.HELD}
    assert points_balance(user=farmer) == 0
    assert "device_shared" in _rules(farmer)
    assert points_balance(user=world.other_patient) == 500
    assert RiskReview.objects.get(beneficiary=world.other_patient).status == ReviewStatus.CLEARED


def test_a_ring_of_five_accounts_referring_each_other_is_held(world):
    campaign()
    ring = [sign_up()[0]]
    for _ in range(4):
        ring.append(sign_up(inviter=ring[-1])[0])
    # The last tries to invite the first, and every one the others: refused (already
    # patients), and kept in the graph.
    for member in ring:
        for other in ring:
            if other is not member:
                with contextlib.suppress(Conflict):
                    referral_accept(invitee=member, code=invite_code_for(other), new_account=False)
    for member in ring[1:]:
        first_visit(member)
    _ordinary_pair(world)

    rewards = ReferralReward.objects.filter(beneficiary__in=ring)
    assert rewards.count() == 4 + 3  # four first-level, three second-level
    assert set(rewards.values_list("status", flat=True)) == {RewardStatus.HELD}
    assert all(points_balance(user=member) == 0 for member in ring)
    assert "referral_ring" in _rules(ring[0])
    assert points_balance(user=world.other_patient) == 500


def test_a_burst_of_thirty_sign_ups_from_one_address_is_held(world):
    campaign()
    recruiter, _ = sign_up()
    burst = [sign_up(inviter=recruiter, ip="203.0.113.9")[0] for _ in range(30)]
    for account in burst:
        first_visit(account)
    _ordinary_pair(world)

    rewards = ReferralReward.objects.filter(beneficiary=recruiter)
    assert rewards.count() == 30
    assert set(rewards.values_list("status", flat=True)) == {RewardStatus.HELD}
    assert {"sign_up_burst", "address_shared"} <= _rules(recruiter)
    assert points_balance(user=recruiter) == 0
    assert points_balance(user=world.other_patient) == 500


def test_a_household_sharing_its_network_is_not_held(world):
    campaign()
    mother, _ = sign_up(ip="198.51.100.20")
    father, _ = sign_up(inviter=mother, ip="198.51.100.20")
    first_visit(father)
    review = RiskReview.objects.get(beneficiary=mother)
    assert review.status == ReviewStatus.CLEARED and review.score == 30
    assert points_balance(user=mother) == 500


def test_self_referral_from_ones_own_phone_with_a_virtual_number_is_held(world):
    campaign()
    owner, _ = sign_up(device="my-phone")
    second, _ = sign_up(inviter=owner, device="my-phone", number=phone("170"))
    first_visit(second)
    review = RiskReview.objects.get(beneficiary=owner)
    assert review.status == ReviewStatus.HELD
    assert {"self_referral", "virtual_number"} <= {r["rule"] for r in review.reasons}


def test_approved_rewards_are_paid_once_rejected_never(world):
    campaign()
    farmer, _ = sign_up()
    farm = [sign_up(inviter=farmer, device="farm")[0] for _ in range(4)]
    for account in farm:
        first_visit(account)
    held = list(RiskReview.objects.filter(beneficiary=farmer, status=ReviewStatus.HELD))
    assert len(held) == 4
    manager = world.clinic_a_manager

    approved = review_decide(actor=manager, review_id=held[0].public_id, approve=True)
    assert approved.status == ReviewStatus.APPROVED and approved.paid_at is not None
    assert points_balance(user=farmer) == 500
    with pytest.raises(Conflict):
        review_decide(actor=manager, review_id=held[0].public_id, approve=True)
    assert points_balance(user=farmer) == 500

    with pytest.raises(Exception) as no_reason:
        review_decide(actor=manager, review_id=held[1].public_id, approve=False)
    assert no_reason.value.code == "note_required"
    rejected = review_decide(
        actor=manager, review_id=held[1].public_id, approve=False, note="同一设备注册多个账号"
    )
    assert rejected.status == ReviewStatus.REJECTED
    assert ReferralReward.objects.get(idempotency_key=held[1].key).status == RewardStatus.REJECTED
    with pytest.raises(Conflict):
        review_decide(actor=manager, review_id=held[1].public_id, approve=True)
    assert points_balance(user=farmer) == 500

    entries = AuditEntry.objects.filter(action="reward_reviewed").order_by("seq")
    assert [e.details["decision"] for e in entries] == ["approved", "rejected"]
    assert entries[1].details["note"] == "同一设备注册多个账号"


def test_other_rewards_are_screened_by_the_same_function(world):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    days = [datetime(2026, 11, d, 6, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai")) for d in range(1, 8)]
    review = screen_reward(
        key="challenge:test:1", kind="challenge", beneficiary=world.patient_parent, check_ins=days
    )
    assert review.status == ReviewStatus.HELD
    assert review.reasons[0]["rule"] == "check_in_scripted"
    again = screen_reward(
        key="challenge:test:1", kind="challenge", beneficiary=world.patient_parent
    )
    assert again.pk == review.pk
