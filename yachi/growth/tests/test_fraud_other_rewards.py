"""Anti-fraud screens every reward growth pays, not only referrals: points for shares
and surveys, case-contest prizes and check-in rewards are held for review when the
account looks like a farm, paid once approved, and never paid once rejected."""

from datetime import datetime, timedelta

import pytest

from yachi.growth.cases import services as cases
from yachi.growth.cases.models import AwardStatus
from yachi.growth.challenges import services as challenges
from yachi.growth.challenges.models import ChallengeReward
from yachi.growth.fraud.choices import ReviewStatus
from yachi.growth.fraud.services import review_decide
from yachi.growth.ledger import points_balance
from yachi.growth.models import RiskReview
from yachi.growth.tests.referral_helpers import sign_up
from yachi.growth.tests.test_cases import contest, enter
from yachi.growth.tests.test_challenges import SHANGHAI, brushing

pytestmark = pytest.mark.django_db


def farm(n: int = 5):
    """``n`` accounts registered from one phone: each looks like a farm's."""
    return [sign_up(device="one-rooted-phone")[0] for _ in range(n)]


def test_points_for_a_share_from_a_device_farm_wait_for_review(api, world, settings):
    settings.YACHI_POINTS_FOR_SHARE = 10
    farmed = farm()[0]
    held = api.as_user(farmed).post(
        "/me/points/activities", {"activity": "share", "reference": "洁牙科普"}
    )
    assert held.status_code == 202
    assert held.json() == {
        "status": "held",
        "entry_id": None,
        "points": 0,
        "balance": None,
        "replayed": False,
    }
    assert points_balance(user=farmed) == 0
    again = api.post("/me/points/activities", {"activity": "share", "reference": "洁牙科普"})
    assert again.status_code == 202 and points_balance(user=farmed) == 0

    ordinary = api.as_user(world.patient_parent).post(
        "/me/points/activities", {"activity": "share", "reference": "洁牙科普"}
    )
    assert ordinary.status_code == 201 and ordinary.json()["status"] == "paid"
    assert points_balance(user=world.patient_parent) == 10

    review = RiskReview.objects.get(beneficiary=farmed, kind="activity")
    assert "device_shared" in {reason["rule"] for reason in review.reasons}
    review_decide(actor=world.clinic_a_manager, review_id=review.public_id, approve=True)
    assert points_balance(user=farmed) == 10
    replay = api.as_user(farmed).post(
        "/me/points/activities", {"activity": "share", "reference": "洁牙科普"}
    )
    assert replay.status_code == 200 and replay.json()["replayed"] is True
    assert points_balance(user=farmed) == 10


def test_rejected_survey_points_are_never_paid(api, world, settings):
    settings.YACHI_POINTS_FOR_SURVEY = 50
    farmed = farm()[0]
    body = {"activity": "survey", "reference": "满意度-2026-12"}
    assert api.as_user(farmed).post("/me/points/activities", body).status_code == 202
    review = RiskReview.objects.get(beneficiary=farmed, kind="activity")
    review_decide(
        actor=world.clinic_a_manager, review_id=review.public_id, approve=False, note="刷分"
    )
    assert api.post("/me/points/activities", body).status_code == 202
    assert points_balance(user=farmed) == 0


def test_a_case_prize_won_by_a_farmed_account_is_held_and_paid_once_approved(world):
    running = contest(world, winners=2)
    farmed = farm()[0]
    honest = world.patient_parent
    for user in (farmed, honest):
        entry = enter(user, running)
        cases.entry_review(actor=world.clinic_a_manager, entry=entry, accept=True)
    cases.contest_move(actor=world.clinic_a_manager, contest=running, step="judge")

    awards = {
        a.entry.entrant_id: a
        for a in cases.prizes_award(actor=world.clinic_a_manager, contest=running)
    }
    assert sum(a.share_fen for a in awards.values()) == 1_000_000  # the pool still adds up
    assert awards[farmed.pk].status == AwardStatus.HELD and points_balance(user=farmed) == 0
    assert awards[honest.pk].status == AwardStatus.PAID
    assert points_balance(user=honest) == 500_000

    review = RiskReview.objects.get(key=awards[farmed.pk].idempotency_key)
    review_decide(actor=world.clinic_a_manager, review_id=review.public_id, approve=True)
    awards[farmed.pk].refresh_from_db()
    assert awards[farmed.pk].status == AwardStatus.PAID
    assert points_balance(user=farmed) == 500_000
    cases.prizes_award(actor=world.clinic_a_manager, contest=running)  # paying again pays none
    assert points_balance(user=farmed) == 500_000


def test_a_rejected_case_prize_stays_unpaid(world):
    running = contest(world, winners=1, prize_kind="coupon")
    farmed = farm()[0]
    entry = enter(farmed, running)
    cases.entry_review(actor=world.clinic_a_manager, entry=entry, accept=True)
    cases.contest_move(actor=world.clinic_a_manager, contest=running, step="judge")
    [award] = cases.prizes_award(actor=world.clinic_a_manager, contest=running)
    review = RiskReview.objects.get(key=award.idempotency_key)
    assert review.status == ReviewStatus.HELD
    review_decide(
        actor=world.clinic_a_manager, review_id=review.public_id, approve=False, note="同一设备"
    )
    award.refresh_from_db()
    assert award.status == AwardStatus.REJECTED and award.coupon_reference == ""


def test_a_rejected_challenge_reward_is_not_paid_by_the_next_check_in(world):
    challenge = brushing(world)
    user = world.patient_parent
    first = challenge.starts_on

    def brush(offset):  # 20:00:00 sharp every day: a script
        day = first + timedelta(offset)
        moment = datetime(day.year, day.month, day.day, 20, tzinfo=SHANGHAI)
        challenges.check_in(user=user, challenge=challenge, now=moment)

    for offset in range(7):
        brush(offset)
    review = RiskReview.objects.get(key=challenges.reward_key(challenge, user))
    review_decide(
        actor=world.clinic_a_manager, review_id=review.public_id, approve=False, note="脚本打卡"
    )
    brush(7)
    brush(8)
    assert not ChallengeReward.objects.filter(user=user).exists()
