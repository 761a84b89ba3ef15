"""Check-in challenges for the mini-program: those running, and checking in today."""

from datetime import date
from uuid import UUID

from ninja import Router, Schema
from ninja import Status as HttpStatus

from yachi.core.errors import patients_only
from yachi.core.schemas import errors
from yachi.growth import describe
from yachi.growth.challenges import access, selectors, services

router = Router(tags=["check-in challenges"])


class StreakOut(Schema):
    challenge_id: UUID
    # Days in a row as of today (0 when a day was missed since the last check-in).
    current: int
    best: int
    days_required: int
    days_left: int
    last_day: date | None
    checked_in_today: bool
    rewarded: bool
    reward_coupon_id: UUID | None
    # Every day checked in, oldest first.
    days: list[date]


class ChallengeOut(Schema):
    id: UUID
    title: str
    description: str
    clinic_id: UUID
    clinic: str
    days_required: int
    reward: str
    reward_benefit: str
    starts_on: date
    ends_on: date
    # The caller's own streak (patients only; null for anyone else).
    streak: StreakOut | None


def streak_answer(streak) -> dict:
    return {
        "challenge_id": streak.challenge.public_id,
        "current": streak.current,
        "best": streak.best,
        "days_required": streak.challenge.days_required,
        "days_left": streak.left,
        "last_day": streak.last_day,
        "checked_in_today": streak.checked_in_today,
        "rewarded": streak.rewarded,
        "reward_coupon_id": streak.reward_coupon_id,
        "days": streak.days,
    }


@router.get("/challenges", response={200: list[ChallengeOut], **errors(401)})
def list_challenges(request):
    """Running check-in challenges, each with the caller's streak."""
    challenges = selectors.challenges_running()
    streaks = (
        selectors.streaks_of(challenges=challenges, user=request.user)
        if request.user.is_patient
        else {}
    )
    return [
        {
            "id": c.public_id,
            "title": c.title,
            "description": c.description,
            "clinic_id": c.clinic.public_id,
            "clinic": c.clinic.display_name,
            "days_required": c.days_required,
            "reward": describe.coupon_title(c.reward_template),
            "reward_benefit": describe.benefit(c.reward_template),
            "starts_on": c.starts_on,
            "ends_on": c.ends_on,
            "streak": streak_answer(streaks[c.pk]) if c.pk in streaks else None,
        }
        for c in challenges
    ]


@router.post(
    "/challenges/{challenge_id}/check-ins",
    response={201: StreakOut, **errors(401, 403, 404, 409)},
)
def check_in(request, challenge_id: str):
    """Check in for today (the clinic's day): the answer is the streak. A missed day
    starts the run again; reaching `days_required` in a row gives the reward coupon once.

    409 `already_checked_in` (today is counted already) or `challenge_not_running`.
    """
    patients_only(request.user)
    challenge = access.challenge_by_id(challenge_id)
    services.check_in(user=request.user, challenge=challenge)
    return HttpStatus(
        201, streak_answer(selectors.streak_of(challenge=challenge, user=request.user))
    )
