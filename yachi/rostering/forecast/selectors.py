"""The demand forecast of a clinic from its booking history and calendar (ADR 0054):
what the optimizer plans against, what the API and the console show."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.utils import timezone

from yachi.clinics import facade as clinics
from yachi.rostering.calendar.selectors import clinic_days
from yachi.rostering.forecast import model
from yachi.rostering.forecast.history import booked_minutes

HISTORY_DAYS = 365
BACKTEST_WEEKS = 26
BACKTEST_SECONDS = 6 * 3600


@dataclass(frozen=True)
class DemandForecast:
    """Forecast demand at one clinic for one skill on one date and half-day, in minutes
    of chair time booked (a plain value: the optimizer's input)."""

    clinic_id: int
    skill: str
    day: date
    half_day: str  # "morning" (before 12:00), "afternoon", "evening" (from 18:00)
    minutes: float


@dataclass(frozen=True)
class Cell:
    day: date
    half_day: str
    skill: str
    forecast: float
    baseline: float
    actual: float | None  # for days already past


@dataclass(frozen=True)
class WeekForecast:
    clinic_id: int
    week_start: date
    skills: list[str]
    half_days: list[str]
    cells: list[Cell]
    backtest: model.Backtest | None


def clinic_skills(clinic) -> list[str]:
    """The skills the clinic's services need, in the order of the skill list."""
    needed = {service.required_skill for service in clinics.clinic_services(clinic=clinic)}
    return [skill for skill in clinics.Skill.values if skill in needed]


def _history(clinic, first: date, last: date) -> list[model.Observation]:
    zone = ZoneInfo(clinic.timezone)
    start = datetime.combine(first, time.min, zone)
    end = datetime.combine(last + timedelta(days=1), time.min, zone)
    rows = booked_minutes(clinic_id=clinic.pk, start=start, end=end)
    return model.observations(
        (when.astimezone(zone), minutes, skill) for when, minutes, skill in rows
    )


def _half_days(history) -> list[str]:
    evening = any(row.half_day == model.EVENING for row in history)
    return [model.MORNING, model.AFTERNOON, *([model.EVENING] if evening else [])]


def _today(clinic) -> date:
    return timezone.now().astimezone(ZoneInfo(clinic.timezone)).date()


def _clinic_forecast(clinic, start: date, days: int, *, today: date | None = None):
    today = today or _today(clinic)
    origin = min(start, today)  # never learn from what happened after the first day asked
    first = origin - timedelta(days=HISTORY_DAYS)
    last = start + timedelta(days=days - 1)
    history = _history(clinic, first, last)
    known = [row for row in history if row.day < origin]
    calendar = clinic_days(clinic_id=clinic.pk, first_day=first, last_day=last)
    skills, half_days = clinic_skills(clinic), _half_days(history)
    rows = model.forecast(
        history=known,
        calendar=calendar,
        skills=skills,
        half_days=half_days,
        start=origin,
        days=(last - origin).days + 1,
        history_days=HISTORY_DAYS,
    )
    # From today on, what is already booked is demand known for sure: never forecast less.
    booked = {(row.day, row.half_day, row.skill): row.minutes for row in history}
    rows = [
        replace(row, minutes=max(row.minutes, booked.get((row.day, row.half_day, row.skill), 0)))
        if row.day >= today
        else row
        for row in rows
        if row.day >= start
    ]
    return rows, history, skills, half_days, today


def demand_forecast(*, clinic_ids, first_day: date, days: int) -> list[DemandForecast]:
    """Forecast demand minutes per (clinic, skill, date, half-day) for ``days`` days from
    ``first_day``, learnt from each clinic's booking history before today (or before
    ``first_day`` if that is earlier), aware of its calendar: public holidays and make-up
    working days (调休), closed days (0 minutes), school holidays, and the trend; from
    today on, never less than the minutes already booked.

    Skills are those the clinic's services need; half-days are morning and afternoon,
    and evening where the clinic has booked evenings. Unknown clinic ids are skipped.
    """
    out = []
    for clinic in clinics.active_clinics().filter(pk__in=list(clinic_ids)):
        rows, *_rest = _clinic_forecast(clinic, first_day, days)
        out += [
            DemandForecast(clinic.pk, row.skill, row.day, row.half_day, row.minutes) for row in rows
        ]
    return out


def clinic_backtest(clinic) -> model.Backtest | None:
    """The forecast's error over the clinic's last weeks, against the seasonal naive
    baseline; cached for a few hours (None while the history is too short)."""
    today = _today(clinic)
    key = f"rostering:forecast:backtest:{clinic.pk}:{today.isoformat()}"
    found = cache.get(key)
    if found is not None:
        return found or None
    first, last = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)
    history = _history(clinic, first, last)
    try:
        result = model.backtest(
            history=history,
            calendar=clinic_days(clinic_id=clinic.pk, first_day=first, last_day=last),
            skills=clinic_skills(clinic),
            half_days=_half_days(history),
            first=first,
            last=last,
            weeks=BACKTEST_WEEKS,
        )
    except ValueError:
        result = None
    cache.set(key, result or False, BACKTEST_SECONDS)
    return result


def week_forecast(*, clinic, week_start: date) -> WeekForecast:
    """A week's forecast per skill and half-day beside the baseline and, for days past,
    what was booked."""
    rows, history, skills, half_days, today = _clinic_forecast(clinic, week_start, 7)
    actual = {(row.day, row.half_day, row.skill): row.minutes for row in history}
    cells = [
        Cell(
            row.day,
            row.half_day,
            row.skill,
            row.minutes,
            row.baseline,
            round(actual.get((row.day, row.half_day, row.skill), 0.0), 1)
            if row.day < today
            else None,
        )
        for row in rows
    ]
    return WeekForecast(clinic.pk, week_start, skills, half_days, cells, clinic_backtest(clinic))
