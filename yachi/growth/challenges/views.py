"""The patient's check-in challenges: the 活动 tab's section, a challenge's streak
calendar, and checking in (htmx swaps the streak card in place)."""

import contextlib
from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.pages import htmx_partial, patient_required
from yachi.growth import describe
from yachi.growth.challenges import access, selectors, services


def tab_section(request) -> dict | None:
    challenges = selectors.challenges_running()
    streaks = selectors.streaks_of(challenges=challenges, user=request.user)
    return {
        "rows": [
            {
                "challenge": c,
                "streak": streaks[c.pk],
                "reward": describe.coupon_title(c.reward_template),
            }
            for c in challenges
        ]
    }


def _month(request, streak) -> date:
    """The month shown: ``?month=YYYY-MM`` within the challenge's days, else this one."""
    first = streak.challenge.starts_on.replace(day=1)
    last = streak.challenge.ends_on.replace(day=1)
    shown = streak.today.replace(day=1)
    asked = request.GET.get("month", "")
    year, _, month = asked.partition("-")
    with contextlib.suppress(ValueError, OverflowError):  # no month: this one
        shown = date(int(year), int(month), 1) if asked else shown
    return min(max(shown, first), max(last, first))


def _context(request, challenge, error: str = "") -> dict:
    streak = selectors.streak_of(challenge=challenge, user=request.user)
    month = _month(request, streak)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return {
        "challenge": challenge,
        "streak": streak,
        "weeks": selectors.calendar_of(streak, year=month.year, month=month.month),
        "month": month,
        "previous": previous if previous >= challenge.starts_on.replace(day=1) else None,
        "following": following if following <= challenge.ends_on else None,
        "reward": describe.coupon_title(challenge.reward_template),
        "reward_benefit": describe.benefit(challenge.reward_template),
        "error": error,
        "tab": "activities",
    }


@patient_required
def challenge_page(request, challenge_id):
    challenge = access.challenge_by_id(challenge_id)
    return render(request, "growth/challenges/challenge.html", _context(request, challenge))


@require_POST
@patient_required
def challenge_check_in_view(request, challenge_id):
    challenge = access.challenge_by_id(challenge_id)
    error = ""
    try:
        services.check_in(user=request.user, challenge=challenge)
    except DomainError as exc:
        error = str(exc.message)
        if not request.htmx:
            messages.error(request, error)
    if not request.htmx:
        return redirect("web:challenge", challenge_id=challenge.public_id)
    template = htmx_partial(
        request, "growth/challenges/partials/streak.html", "growth/challenges/challenge.html"
    )
    return render(request, template, _context(request, challenge, error))
