"""Demand forecast: booked minutes per skill and half-day for the coming weeks.

Pure Python and numpy, no Django: dataclasses in, dataclasses out.

The model, in the words a clinic manager would use:

1. **A week's shape.** For each skill and half-day, what an ordinary day of each weekday
   books: a weighted mean of the past ordinary days of that weekday (term time, not a
   public holiday, not the Spring Festival travel days), recent weeks weighing more
   (a half-life of ``HALF_LIFE_WEEKS``). A make-up working day (调休上班) has the shape of
   the weekday it works as, since patients are at work as on that weekday.
2. **Trend.** How each recent week booked against that shape, fitted by a straight line
   over the last ``TREND_WEEKS`` weeks and carried forward (capped, so that one odd week
   does not run away).
3. **Holidays.** A public holiday on which the clinic opens books a share of an ordinary
   day, and so do the days people travel before and after the Spring Festival; the
   shares are learnt from the clinic's own past holidays, starting from a cautious guess
   (``PRIORS``) while it has seen few. A closed day books nothing.
4. **School holidays.** Children come when school is out: for each skill, weekdays and
   weekends apart, the ratio of school-holiday days to the term's shape, learnt from the
   history (paediatrics is where it shows).

Forecast = shape × trend × holiday share × school-holiday ratio.

The baseline it must beat is the seasonal naive forecast: the same half-day a week
before (for weeks further ahead, the last week known, repeated). ``backtest`` replays
the past week by week, each week forecast from what was known before it, and reports
MAE and MASE (the MAE divided by the in-sample MAE of the seasonal naive forecast, so
below 1 means better than "same as last week").
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

MORNING, AFTERNOON, EVENING = "morning", "afternoon", "evening"
HALF_DAYS = (MORNING, AFTERNOON, EVENING)

HALF_LIFE_WEEKS = 6.0
TREND_WEEKS = 12
TREND_CAP = 0.02  # at most ±2 % a week
# Starting guesses for the share of an ordinary day, worth ``PRIOR_DAYS`` days of data.
PRIORS = {"holiday": 0.7, "travel": 0.5, "make_up": 1.0}
PRIOR_DAYS = 3.0
SCHOOL_PRIOR_DAYS = 2.0
TRAVEL_DAYS = 4  # days before and after the Spring Festival's days off
SPRING_FESTIVAL = "春节"
WEEK = 7


@dataclass(frozen=True)
class Day:
    """What the calendar says of one date at one clinic."""

    day: date
    open: bool = True
    works_as: int | None = None  # a make-up working day keeps this weekday's pattern
    holiday: str = ""  # the public holiday's name (the clinic may open or close on it)
    school_holiday: bool = False

    @property
    def pattern(self) -> int:
        return self.day.weekday() if self.works_as is None else self.works_as


@dataclass(frozen=True)
class Observation:
    """Minutes booked on one date and half-day for one skill."""

    day: date
    half_day: str
    skill: str
    minutes: float


@dataclass(frozen=True)
class Demand:
    """The forecast for one date, half-day and skill, with the baseline beside it."""

    day: date
    half_day: str
    skill: str
    minutes: float
    baseline: float


@dataclass(frozen=True)
class Backtest:
    weeks: int
    cells: int
    mae: float
    mase: float
    baseline_mae: float
    baseline_mase: float

    @property
    def beats_baseline(self) -> bool:
        return self.mae < self.baseline_mae


def half_day_of(moment) -> str:
    """The half-day a local time falls in: mornings until noon, evenings from 18:00."""
    if moment.hour < 12:
        return MORNING
    return AFTERNOON if moment.hour < 18 else EVENING


def observations(visits: Iterable[tuple]) -> list[Observation]:
    """Booked visits as ``(local start, minutes, skill)`` summed per date, half-day and skill."""
    totals: dict[tuple, float] = {}
    for start, minutes, skill in visits:
        key = (start.date(), half_day_of(start), skill)
        totals[key] = totals.get(key, 0.0) + minutes
    return [
        Observation(day, half, skill, minutes) for (day, half, skill), minutes in totals.items()
    ]


@dataclass
class _Series:
    """The history as an array: [day, skill, half-day] minutes, with each day's calendar."""

    first: date
    skills: tuple[str, ...]
    half_days: tuple[str, ...]
    minutes: np.ndarray
    days: list[Day]
    travel: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def index(self, day: date) -> int:
        return (day - self.first).days


def _calendar_day(calendar: Mapping[date, Day], day: date) -> Day:
    return calendar.get(day) or Day(day)


def _series(history, calendar, skills, half_days, first: date, last: date) -> _Series:
    n = (last - first).days + 1
    skill_at = {s: i for i, s in enumerate(skills)}
    half_at = {h: i for i, h in enumerate(half_days)}
    minutes = np.zeros((n, len(skills), len(half_days)))
    for row in history:
        t = (row.day - first).days
        if 0 <= t < n and row.skill in skill_at and row.half_day in half_at:
            minutes[t, skill_at[row.skill], half_at[row.half_day]] += row.minutes
    days = [_calendar_day(calendar, first + timedelta(days=t)) for t in range(n)]
    series = _Series(first, tuple(skills), tuple(half_days), minutes, days)
    series.travel = _travel_days(days)
    return series


def _travel_days(days: list[Day]) -> np.ndarray:
    """Days within ``TRAVEL_DAYS`` of a Spring Festival day off that are not themselves
    days off: Shanghai empties as people go home and come back."""
    festival = [t for t, d in enumerate(days) if d.holiday == SPRING_FESTIVAL]
    travel = np.zeros(len(days), dtype=bool)
    for t in festival:
        travel[max(0, t - TRAVEL_DAYS) : t + TRAVEL_DAYS + 1] = True
    for t, d in enumerate(days):
        if d.holiday or not d.open:
            travel[t] = False
    return travel


def _category(series: _Series, t: int) -> str:
    day = series.days[t]
    if not day.open:
        return "closed"
    if day.holiday:
        return "holiday"
    if series.travel[t]:
        return "travel"
    if day.works_as is not None and day.works_as != day.day.weekday():
        return "make_up"
    return "ordinary"


@dataclass
class _Fit:
    profile: np.ndarray  # [pattern weekday, skill, half-day]
    school: np.ndarray  # [weekend?, skill]
    shares: dict[str, float]
    centre_weeks: float  # how long ago, on average, the days the shape learnt from were
    slope: float  # the trend, as a share of the shape per week
    last_week: np.ndarray  # [7, skill, half-day]: the last week known, for the baseline


def _fit(series: _Series, origin: int) -> _Fit:
    """What the history before day ``origin`` says."""
    shape = series.minutes.shape[1:]
    categories = [_category(series, t) for t in range(origin)]
    school = np.array([series.days[t].school_holiday for t in range(origin)], dtype=bool)
    ages = (origin - 1 - np.arange(origin)) / WEEK
    weights = 0.5 ** (ages / HALF_LIFE_WEEKS)
    patterns = np.array([series.days[t].pattern for t in range(origin)], dtype=int)

    profile = np.zeros((7, *shape))
    ordinary = np.array([c in ("ordinary", "make_up") for c in categories], dtype=bool)
    for weekday in range(7):
        chosen = ordinary & ~school & (patterns == weekday)
        if not chosen.any():
            chosen = ordinary & (patterns == weekday)
        if chosen.any():
            w = weights[chosen]
            profile[weekday] = np.tensordot(w, series.minutes[:origin][chosen], axes=1) / w.sum()

    def expected(t: int) -> np.ndarray:
        return profile[patterns[t]]

    # School holidays: actual over the term's shape, per skill, weekdays and weekends apart.
    school_ratio = np.ones((2, shape[0]))
    for weekend in (0, 1):
        chosen = [
            t
            for t in range(origin)
            if categories[t] == "ordinary" and school[t] and (patterns[t] >= 5) == bool(weekend)
        ]
        if chosen:
            actual = series.minutes[chosen].sum(axis=(0, 2))
            base = np.array([expected(t) for t in chosen]).sum(axis=(0, 2))
            mean = base / len(chosen)
            school_ratio[weekend] = (actual + SCHOOL_PRIOR_DAYS * mean) / (
                base + SCHOOL_PRIOR_DAYS * mean + 1e-9
            )

    def adjusted(t: int) -> np.ndarray:
        return expected(t) * school_ratio[int(patterns[t] >= 5)][:, None] ** school[t]

    # Holiday shares, pooled over skills and half-days.
    shares = {}
    for category, prior in PRIORS.items():
        chosen = [t for t in range(origin) if categories[t] == category]
        base = sum(float(adjusted(t).sum()) for t in chosen)
        actual = float(series.minutes[chosen].sum()) if chosen else 0.0
        typical = float(np.mean([adjusted(t).sum() for t in range(max(0, origin - 28), origin)]))
        shares[category] = (actual + PRIOR_DAYS * prior * typical) / (
            base + PRIOR_DAYS * typical + 1e-9
        )

    # Trend: each recent week's ordinary days against the shape, as a straight line.
    weeks, ratios = [], []
    for k in range(TREND_WEEKS):
        end = origin - k * WEEK
        days = [t for t in range(max(0, end - WEEK), end) if categories[t] == "ordinary"]
        base = sum(float(adjusted(t).sum()) for t in days)
        if len(days) >= 4 and base > 0:
            weeks.append(-k)
            ratios.append(float(series.minutes[days].sum()) / base)
    slope = 0.0
    if len(weeks) >= 4:
        slope = float(np.clip(np.polyfit(weeks, ratios, 1)[0], -TREND_CAP, TREND_CAP))
    # The shape is a recency-weighted mean: it stands for its days' weighted age, and the
    # trend carries it from there to the day forecast.
    used = ordinary & (weights > 0)
    centre = float(np.average(ages[used], weights=weights[used])) if used.any() else 0.0
    last = series.minutes[max(0, origin - WEEK) : origin]
    if len(last) < WEEK:
        last = np.concatenate([np.zeros((WEEK - len(last), *shape)), last])
    return _Fit(profile, school_ratio, shares, centre, slope, last)


def _predict(fit: _Fit, series: _Series, origin: int, t: int) -> np.ndarray:
    day = series.days[t]
    category = _category(series, t)
    if category == "closed":
        return np.zeros(series.minutes.shape[1:])
    value = fit.profile[day.pattern].copy()
    if day.school_holiday:
        value *= fit.school[int(day.pattern >= 5)][:, None]
    value *= fit.shares.get(category, 1.0)
    weeks_on = fit.centre_weeks + (t - origin + 1) / WEEK
    value *= max(0.5, 1.0 + fit.slope * weeks_on)
    return value


def _baseline(fit: _Fit, series: _Series, origin: int, t: int) -> np.ndarray:
    """Seasonal naive: the same half-day a week before, or the last week known."""
    back = t - WEEK
    if back < origin and back >= 0:
        return series.minutes[back]
    return fit.last_week[(t - origin) % WEEK]


def forecast(
    *,
    history: Iterable[Observation],
    calendar: Mapping[date, Day],
    skills: Sequence[str],
    half_days: Sequence[str] = HALF_DAYS,
    start: date,
    days: int,
    history_days: int = 365,
) -> list[Demand]:
    """Forecast ``days`` days from ``start``, from the history before ``start`` (at most
    ``history_days``, from the first day anything was booked)."""
    history = [row for row in history if row.day < start]
    first = start - timedelta(days=history_days)
    if history:
        first = max(first, min(row.day for row in history))
    series = _series(history, calendar, skills, half_days, first, start + timedelta(days=days - 1))
    origin = series.index(start)
    fit = _fit(series, origin)
    out = []
    for t in range(origin, origin + days):
        value, base = _predict(fit, series, origin, t), _baseline(fit, series, origin, t)
        for i, skill in enumerate(series.skills):
            for j, half in enumerate(series.half_days):
                out.append(
                    Demand(
                        series.days[t].day,
                        half,
                        skill,
                        round(float(value[i, j]), 1),
                        round(float(base[i, j]), 1),
                    )
                )
    return out


def backtest(
    *,
    history: Iterable[Observation],
    calendar: Mapping[date, Day],
    skills: Sequence[str],
    half_days: Sequence[str] = HALF_DAYS,
    first: date,
    last: date,
    weeks: int = 26,
    warm_up_weeks: int = 8,
) -> Backtest:
    """Replay the last ``weeks`` whole weeks ending by ``last``: each is forecast from the
    history before it and compared with what was booked. ``first`` is the history's
    first day (or the first day anything was booked); at least ``warm_up_weeks`` come
    before the first week replayed."""
    history = [row for row in history if first <= row.day <= last]
    if history:
        first = max(first, min(row.day for row in history))
    series = _series(history, calendar, skills, half_days, first, last)
    total = len(series.days)
    end = total - total % WEEK if total % WEEK else total
    start = max(warm_up_weeks * WEEK, end - weeks * WEEK)
    errors, naive = [], []
    for origin in range(start, end - WEEK + 1, WEEK):
        fit = _fit(series, origin)
        for t in range(origin, origin + WEEK):
            actual = series.minutes[t]
            errors.append(np.abs(_predict(fit, series, origin, t) - actual).ravel())
            naive.append(np.abs(_baseline(fit, series, origin, t) - actual).ravel())
    if not errors:
        raise ValueError("Not enough history for a backtest.")
    # The scale: the seasonal naive forecast's in-sample error before the first week replayed.
    scale = float(np.abs(series.minutes[WEEK:start] - series.minutes[: start - WEEK]).mean())
    mae = float(np.concatenate(errors).mean())
    baseline_mae = float(np.concatenate(naive).mean())
    scale = scale or 1.0
    return Backtest(
        weeks=len(errors) // WEEK,
        cells=sum(len(e) for e in errors),
        mae=round(mae, 2),
        mase=round(mae / scale, 3),
        baseline_mae=round(baseline_mae, 2),
        baseline_mase=round(baseline_mae / scale, 3),
    )
