"""The demand a proposal plans for (ADR 0054, ADR 0056): the demand forecast's minutes per
clinic, skill and half-day of the horizon, each split by urgency.

The forecast says how many minutes each skill will book, not how many of them are pain
cases. The split comes from the booking history: of the minutes booked at the same
weekday and half-day in the last ``WEEKS_BACK`` weeks, the share that came through
emergency dispatch (急诊) or an emergency service. That share of the forecast carries
``EMERGENCY_WEIGHT``, the design's urgency weight, so unmet pain cases cost more than
unmet check-ups; the rest weighs 1.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from yachi.rostering.forecast.selectors import demand_forecast
from yachi.rostering.planner.model import SKILLS, Demand, HalfDay
from yachi.rostering.proposals import sources

WEEKS_BACK = 4
EMERGENCY_WEIGHT = 3.0


# Where a clinic day's half-days meet (clinic local time): before noon is the morning,
# the evening starts at six (the forecast's half-days too).
NOON = time(12, 0)
EVENING = time(18, 0)


def part_at(moment: time) -> str:
    if moment < NOON:
        return "morning"
    return "afternoon" if moment < EVENING else "evening"


def _planned_skill(skill: str) -> str | None:
    # An emergency service's time is general dentistry's (at the emergency weight); oral
    # surgery and the like are planned with the skills the optimizer knows.
    skill = "general" if skill == "emergency" else skill
    return skill if skill in SKILLS else None


def urgent_shares(*, clinics, before: date) -> dict[tuple, float]:
    """(clinic, weekday, half-day, skill) → the share of its recently booked minutes that
    were urgent, from the ``WEEKS_BACK`` weeks before ``before``."""
    by_clinic = {clinic.pk: clinic for clinic in clinics}
    zone = ZoneInfo(clinics[0].timezone)
    low = datetime.combine(before - timedelta(weeks=WEEKS_BACK), time.min, tzinfo=zone)
    high = datetime.combine(before, time.min, tzinfo=zone)
    total: dict[tuple, float] = defaultdict(float)
    urgent: dict[tuple, float] = defaultdict(float)
    for visit in sources.history(clinic_ids=by_clinic, start=low, end=high):
        skill = _planned_skill(visit.skill)
        if skill is None:
            continue
        local = visit.start.astimezone(ZoneInfo(by_clinic[visit.clinic_id].timezone))
        key = (visit.clinic_id, local.weekday(), part_at(local.time()), skill)
        length = (visit.end - visit.start).total_seconds() / 60
        total[key] += length
        if visit.emergency:
            urgent[key] += length
    return {key: urgent[key] / minutes for key, minutes in total.items() if minutes}


def planned_demand(*, clinics, half_days: list[HalfDay], before: date) -> list[Demand]:
    """The forecast for ``half_days``, split by the urgent share of the weeks before
    ``before`` (the day the proposal is asked for)."""
    if not half_days:
        return []
    first = min(half.date for half in half_days)
    last = max(half.date for half in half_days)
    wanted = {(half.clinic_id, half.date, half.part) for half in half_days}
    forecast: dict[tuple, float] = defaultdict(float)
    for row in demand_forecast(
        clinic_ids=[c.pk for c in clinics], first_day=first, days=(last - first).days + 1
    ):
        skill = _planned_skill(row.skill)
        if skill is not None and (row.clinic_id, row.day, row.half_day) in wanted:
            forecast[(row.clinic_id, row.day, row.half_day, skill)] += row.minutes
    shares = urgent_shares(clinics=clinics, before=before)
    result = []
    for (clinic_id, day, part, skill), minutes in sorted(forecast.items()):
        share = shares.get((clinic_id, day.weekday(), part, skill), 0.0)
        whole = round(minutes)
        urgent = round(whole * share)
        for weight, portion in ((1.0, whole - urgent), (EMERGENCY_WEIGHT, urgent)):
            if portion > 0:
                result.append(
                    Demand(
                        clinic_id=clinic_id,
                        date=day,
                        part=part,
                        skill=skill,
                        minutes=portion,
                        urgency_weight=weight,
                    )
                )
    return result
