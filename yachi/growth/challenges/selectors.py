"""Reads of challenges: those running, a person's streak and calendar, a clinic's list."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from yachi.growth.challenges.choices import ChallengeStatus
from yachi.growth.challenges.models import Challenge, ChallengeEntry, ChallengeReward, CheckIn
from yachi.growth.challenges.services import clinic_today
from yachi.growth.challenges.streaks import Cell, month_weeks, streak_now


@dataclass(frozen=True)
class Streak:
    challenge: Challenge
    today: date
    current: int
    best: int
    last_day: date | None
    checked_in_today: bool
    rewarded: bool
    reward_coupon_id: object
    days: list[date]

    @property
    def left(self) -> int:
        return max(0, self.challenge.days_required - self.current)

    @property
    def progress(self) -> list[bool]:
        """One mark per day required: the days of the current run filled in."""
        run = min(self.current, self.challenge.days_required)
        return [i < run for i in range(self.challenge.days_required)]


def challenges_running() -> list[Challenge]:
    """Running challenges whose last day has not passed (at their clinic's date)."""
    challenges = (
        Challenge.objects.select_related("clinic", "reward_template")
        .filter(status=ChallengeStatus.RUNNING)
        .order_by("ends_on", "pk")
    )
    return [c for c in challenges if clinic_today(c) <= c.ends_on]


def streak_of(*, challenge: Challenge, user, days: list[date] | None = None) -> Streak:
    today = clinic_today(challenge)
    entry = ChallengeEntry.objects.filter(challenge=challenge, user=user).first()
    reward = ChallengeReward.objects.filter(challenge=challenge, user=user).first()
    if days is None:
        days = sorted(
            CheckIn.objects.filter(challenge=challenge, user=user).values_list("day", flat=True)
        )
    last_day = entry.last_day if entry else None
    return Streak(
        challenge=challenge,
        today=today,
        current=streak_now(
            last_day=last_day, current=entry.current_streak if entry else 0, today=today
        ),
        best=entry.best_streak if entry else 0,
        last_day=last_day,
        checked_in_today=last_day == today,
        rewarded=reward is not None,
        reward_coupon_id=reward.coupon_id if reward else None,
        days=days,
    )


def streaks_of(*, challenges: list[Challenge], user) -> dict[int, Streak]:
    """Each challenge's streak of ``user``, in three queries whatever the number."""
    ids = [c.pk for c in challenges]
    entries = {
        e.challenge_id: e for e in ChallengeEntry.objects.filter(challenge_id__in=ids, user=user)
    }
    rewards = {
        r.challenge_id: r for r in ChallengeReward.objects.filter(challenge_id__in=ids, user=user)
    }
    days: dict[int, list[date]] = {}
    for challenge_id, day in (
        CheckIn.objects.filter(challenge_id__in=ids, user=user)
        .order_by("day")
        .values_list("challenge_id", "day")
    ):
        days.setdefault(challenge_id, []).append(day)
    streaks = {}
    for challenge in challenges:
        today = clinic_today(challenge)
        entry = entries.get(challenge.pk)
        reward = rewards.get(challenge.pk)
        last_day = entry.last_day if entry else None
        streaks[challenge.pk] = Streak(
            challenge=challenge,
            today=today,
            current=streak_now(
                last_day=last_day, current=entry.current_streak if entry else 0, today=today
            ),
            best=entry.best_streak if entry else 0,
            last_day=last_day,
            checked_in_today=last_day == today,
            rewarded=reward is not None,
            reward_coupon_id=reward.coupon_id if reward else None,
            days=days.get(challenge.pk, []),
        )
    return streaks


def calendar_of(streak: Streak, *, year: int | None = None, month: int | None = None):
    """The month's weeks (this month by default) with the streak's days marked."""
    year = year or streak.today.year
    month = month or streak.today.month
    return month_weeks(
        year=year,
        month=month,
        checked=set(streak.days),
        today=streak.today,
        first=streak.challenge.starts_on,
        last=streak.challenge.ends_on,
    )


def challenges_of_clinic(*, clinic) -> list[Challenge]:
    return list(
        Challenge.objects.select_related("reward_template")
        .filter(clinic=clinic)
        .annotate(
            participants=Count("entries", distinct=True),
            rewarded=Count("rewards", distinct=True),
        )
        .order_by("-starts_on", "-created_at")
    )


def participants_of(challenge: Challenge, *, limit: int = 200) -> list[tuple]:
    """(entry, rewarded) of the challenge's participants, longest current run first."""
    rewarded = set(
        ChallengeReward.objects.filter(challenge=challenge).values_list("user_id", flat=True)
    )
    entries = (
        ChallengeEntry.objects.select_related("user")
        .filter(challenge=challenge)
        .order_by("-current_streak", "-best_streak", "pk")[:limit]
    )
    return [(e, e.user_id in rewarded) for e in entries]


__all__ = ["Cell", "Streak"]
