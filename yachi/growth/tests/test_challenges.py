"""Check-in challenges (打卡): the clinic's days, a run that a missed day restarts, one
check-in a day and one reward per person."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.apiclient import ApiClient
from yachi.core.errors import DomainError, PermissionDenied
from yachi.growth.challenges import services
from yachi.growth.challenges.models import ChallengeEntry, ChallengeReward, CheckIn
from yachi.growth.challenges.streaks import month_weeks, streak_after, streak_now
from yachi.growth.models import Coupon
from yachi.growth.tests.conftest import template
from yachi.messaging.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 20) -> datetime:
    # A person brushes at about the same time, never to the minute (a script does).
    return datetime(day.year, day.month, day.day, hour, day.toordinal() * 17 % 50, tzinfo=SHANGHAI)


def brushing(world, **extra):
    today = timezone.localdate(timezone.now(), SHANGHAI)
    values = {
        "actor": world.clinic_a_manager,
        "clinic": world.clinic_a,
        "title": "连续 7 天刷牙打卡",
        "days_required": 7,
        "reward_template": template(name="免费刷头", kind="free_item", item_codes=["brush_head"]),
        "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=30),
    }
    values.update(extra)
    return services.challenge_create(**values)


def test_streaks_are_pure_arithmetic():
    d = date(2026, 12, 2)
    assert streak_after(last_day=None, current=0, day=d) == 1
    assert streak_after(last_day=d - timedelta(days=1), current=3, day=d) == 4
    assert streak_after(last_day=d - timedelta(days=2), current=3, day=d) == 1
    assert streak_now(last_day=d - timedelta(days=1), current=3, today=d) == 3
    assert streak_now(last_day=d - timedelta(days=2), current=3, today=d) == 0
    weeks = month_weeks(
        year=2026, month=12, checked={d}, today=d, first=d, last=d + timedelta(days=6)
    )
    assert weeks[0][0].day is None  # 2026-12-01 is a Tuesday: Monday is blank
    assert weeks[0][1].day == date(2026, 12, 1) and not weeks[0][1].in_challenge
    assert weeks[0][2].checked and weeks[0][2].today and weeks[0][2].in_challenge


@pytest.mark.django_db
def test_days_follow_the_clinics_time_zone_and_one_check_in_a_day(world):
    world.clinic_a.timezone = "Asia/Shanghai"
    world.clinic_a.save()
    challenge = brushing(world)
    user = world.patient_parent
    day = challenge.starts_on + timedelta(days=3)
    # 23:30 UTC is already the next morning in Shanghai.
    late_utc = datetime(day.year, day.month, day.day, 23, 30, tzinfo=ZoneInfo("UTC"))
    entry = services.check_in(user=user, challenge=challenge, now=late_utc)
    assert entry.last_day == day + timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        services.check_in(user=user, challenge=challenge, now=at(day + timedelta(days=1), 9))
    assert refused.value.code == "already_checked_in"
    assert CheckIn.objects.filter(user=user).count() == 1
    assert ChallengeEntry.objects.get(user=user).check_in_count == 1


@pytest.mark.django_db
def test_a_missed_day_restarts_and_seven_in_a_row_give_the_reward_once(world):
    world.clinic_a.timezone = "Asia/Shanghai"
    world.clinic_a.save()
    challenge = brushing(world)
    user = world.patient_parent
    first = challenge.starts_on
    for offset in (0, 1, 2):
        entry = services.check_in(user=user, challenge=challenge, now=at(first + timedelta(offset)))
    assert entry.current_streak == 3
    # Day 3 missed: day 4 starts again.
    start = first + timedelta(days=4)
    for offset in range(7):
        entry = services.check_in(user=user, challenge=challenge, now=at(start + timedelta(offset)))
    assert entry.current_streak == 7 and entry.best_streak == 7
    assert ChallengeReward.objects.filter(challenge=challenge, user=user).count() == 1
    assert Coupon.objects.filter(owner=user, template=challenge.reward_template).count() == 1
    # Going on, and a second run of seven later: still one reward.
    entry = services.check_in(user=user, challenge=challenge, now=at(start + timedelta(7)))
    again = start + timedelta(days=9)
    for offset in range(7):
        entry = services.check_in(user=user, challenge=challenge, now=at(again + timedelta(offset)))
    assert entry.current_streak == 7 and entry.best_streak == 8
    assert ChallengeReward.objects.filter(user=user).count() == 1
    assert Coupon.objects.filter(owner=user, template=challenge.reward_template).count() == 1
    # Another patient's run is their own.
    other = services.check_in(user=world.other_patient, challenge=challenge, now=at(again))
    assert other.current_streak == 1


@pytest.mark.django_db
def test_outside_its_days_or_stopped_no_check_in(world):
    challenge = brushing(world)
    with pytest.raises(DomainError) as refused:
        services.check_in(
            user=world.patient_parent,
            challenge=challenge,
            now=at(challenge.ends_on + timedelta(days=2)),
        )
    assert refused.value.code == "challenge_not_running"
    services.challenge_set_status(
        actor=world.clinic_a_manager, challenge=challenge, status="stopped"
    )
    with pytest.raises(DomainError):
        services.check_in(user=world.patient_parent, challenge=challenge)
    with pytest.raises(PermissionDenied):
        brushing(world, actor=world.clinic_a_front_desk)
    with pytest.raises(DomainError):
        brushing(world, days_required=1)
    assert not CheckIn.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_api_lists_challenges_and_checks_in(world):
    challenge = brushing(world)
    api = ApiClient().as_user(world.patient_parent)
    (row,) = api.get("/challenges").json()
    assert row["id"] == str(challenge.public_id) and row["days_required"] == 7
    assert row["reward"] == "免费刷头" and row["streak"]["current"] == 0
    answer = api.post(f"/challenges/{challenge.public_id}/check-ins")
    assert answer.status_code == 201, answer.content
    streak = answer.json()
    assert streak["current"] == 1 and streak["checked_in_today"] and streak["days_left"] == 6
    assert streak["days"] == [streak["last_day"]]
    again = api.post(f"/challenges/{challenge.public_id}/check-ins")
    assert (again.status_code, again.json()["code"]) == (409, "already_checked_in")
    missing = api.post("/challenges/nope/check-ins")
    assert (missing.status_code, missing.json()["code"]) == (404, "challenge_not_found")
    staff = ApiClient().as_user(world.clinic_a_front_desk)
    assert staff.post(f"/challenges/{challenge.public_id}/check-ins").status_code == 403
    assert staff.get("/challenges").json()[0]["streak"] is None


@pytest.mark.django_db(transaction=True)
def test_the_reward_comes_with_a_message(world):
    challenge = brushing(world, days_required=2)
    user = world.patient_parent
    today = timezone.localdate(timezone.now(), ZoneInfo(world.clinic_a.timezone))
    services.check_in(user=user, challenge=challenge, now=at(today - timedelta(days=1)))
    services.check_in(user=user, challenge=challenge)
    assert Notification.objects.filter(
        recipient=user, kind="challenge_rewarded", channel="inbox"
    ).exists()


def test_check_ins_made_by_a_script_hold_the_reward_until_staff_approve_it(world):
    from yachi.growth.fraud.models import RiskReview
    from yachi.growth.fraud.services import review_decide

    challenge = brushing(world)
    user = world.patient_parent
    first = challenge.starts_on
    for offset in range(7):  # 20:00:00 sharp, seven days running
        day = first + timedelta(offset)
        services.check_in(
            user=user,
            challenge=challenge,
            now=datetime(day.year, day.month, day.day, 20, tzinfo=SHANGHAI),
        )
    review = RiskReview.objects.get(key=services.reward_key(challenge, user))
    assert review.status == "held"
    assert "check_in_scripted" in {reason["rule"] for reason in review.reasons}
    assert not ChallengeReward.objects.filter(user=user).exists()
    assert not Coupon.objects.filter(owner=user, template=challenge.reward_template).exists()
    review_decide(actor=world.clinic_a_manager, review_id=review.public_id, approve=True)
    assert ChallengeReward.objects.filter(user=user).count() == 1
    assert Coupon.objects.filter(owner=user, template=challenge.reward_template).count() == 1
    review.refresh_from_db()
    assert review.paid_at is not None
