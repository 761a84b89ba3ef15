"""Referrals (老带新), two levels: invitations accepted at sign-up, rewards on the first
completed paid visit, refusals, reach."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from yachi.growth.facade import invite_code_for, points_balance
from yachi.growth.models import InviteCode, Referral, ReferralReward, RiskReview
from yachi.growth.referrals import stats
from yachi.growth.referrals.choices import ReferralStatus, RewardKind, RewardStatus
from yachi.growth.tests.conftest import template
from yachi.growth.tests.referral_helpers import campaign, first_visit, sign_up

pytestmark = pytest.mark.django_db


def test_a_invites_b_b_invites_c_each_level_rewarded_on_the_first_paid_visit(world):
    running = campaign()
    a = world.patient_parent
    b, answer = sign_up(inviter=a)
    assert answer["invite"]["status"] == "accepted"
    c, _ = sign_up(inviter=b)

    # Signing up earns nothing.
    assert points_balance(user=a) == 0 and not ReferralReward.objects.exists()

    first_visit(b)
    assert points_balance(user=a) == 500
    first_visit(c)
    assert points_balance(user=b) == 500
    assert points_balance(user=a) == 500 + 200

    rewards = {(r.level, r.beneficiary_id): r for r in ReferralReward.objects.all()}
    assert set(rewards) == {(1, a.pk), (1, b.pk), (2, a.pk)}
    assert all(r.status == RewardStatus.PAID and r.paid_at for r in rewards.values())
    assert Referral.objects.get(invitee=c).campaign == running

    # A second visit, or the same visit told twice, pays nothing more.
    first_visit(c, n=2)
    first_visit(c)
    assert (points_balance(user=a), points_balance(user=b)) == (700, 500)
    assert stats.reach_of_inviter(a.pk, exact=True) == stats.Reach(1, 1)
    assert stats.reach_of_inviter(b.pk, exact=True) == stats.Reach(1, 0)
    assert stats.reach_of_campaign(running.pk, exact=True) == stats.Reach(2, 1)


def test_coupons_per_level(world):
    coupon = template(name="洁牙券")
    campaign(level1_kind=RewardKind.COUPON, level1_coupon=coupon, level2_kind=RewardKind.NONE)
    b, _ = sign_up(inviter=world.patient_parent)
    c, _ = sign_up(inviter=b)
    first_visit(b)
    first_visit(c)
    first_visit(c)
    assert world.patient_parent.coupons.filter(template=coupon).count() == 1
    assert b.coupons.filter(template=coupon).count() == 1
    assert ReferralReward.objects.filter(level=2).count() == 0


def test_without_a_running_campaign_the_referral_counts_but_pays_nothing(world):
    campaign(active=False)
    b, _ = sign_up(inviter=world.patient_parent)
    referral = first_visit(b)
    assert referral.status == ReferralStatus.QUALIFIED
    assert not ReferralReward.objects.exists() and points_balance(user=world.patient_parent) == 0


def test_refusals_are_kept_in_the_graph_and_change_nothing_else(world, settings):
    campaign()
    a = world.patient_parent
    # An existing patient cannot be invited.
    _, answer = sign_up(inviter=a, new=False)
    assert answer["invite"]["code"] == "invite_already_patient"
    # Nor oneself: a's own code at a's own (new) login.
    own = sign_up(code=invite_code_for(world.other_patient), number=None)[0]
    _, answer = sign_up(code=invite_code_for(own))
    assert answer["invite"]["status"] == "accepted"
    from yachi.growth.referrals.services import referral_accept

    with pytest.raises(Exception) as refused:
        referral_accept(invitee=own, code=invite_code_for(own), new_account=True)
    assert refused.value.code == "invite_own_code"
    # An expired code.
    row = InviteCode.objects.get(code=invite_code_for(world.other_patient))
    InviteCode.objects.filter(pk=row.pk).update(expires_at=timezone.now())
    _, answer = sign_up(code=row.code)
    assert answer["invite"]["code"] == "invite_expired"
    # An unknown one.
    _, answer = sign_up(code="NOSUCHCD")
    assert answer["invite"]["code"] == "invite_code_unknown"
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses.count(ReferralStatus.REFUSED_EXISTING) == 1
    assert statuses.count(ReferralStatus.REFUSED_SELF) == 1
    assert statuses.count(ReferralStatus.REFUSED_EXPIRED) == 1


def test_an_invitee_has_one_inviter_the_first_valid_link_wins(world):
    campaign()
    b, _ = sign_up(inviter=world.patient_parent)
    from yachi.growth.referrals.services import referral_accept

    with pytest.raises(Exception) as second:
        referral_accept(invitee=b, code=invite_code_for(world.other_patient), new_account=True)
    assert second.value.code == "invite_already_invited"
    # The database says so too, whatever a writer forgets.
    code = InviteCode.objects.get(code=invite_code_for(world.other_patient))
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(inviter=world.other_patient, invitee=b, code=code)
    assert Referral.objects.get(invitee=b).inviter == world.patient_parent


def test_a_visit_of_someone_nobody_invited_changes_nothing(world):
    campaign()
    assert first_visit(world.other_patient) is None
    assert not RiskReview.objects.exists()
