"""The demand forecast's model on made-up clinics whose patterns are known (no database)."""

from datetime import date, timedelta

import numpy as np
import pytest

from yachi.rostering.forecast.model import (
    AFTERNOON,
    EVENING,
    MORNING,
    Day,
    Observation,
    backtest,
    forecast,
    half_day_of,
    observations,
)

FIRST = date(2025, 12, 1)  # a Monday
SKILLS = ("general", "paediatric")
HALVES = (MORNING, AFTERNOON)
# Minutes an ordinary week books: general is busier at weekends, paediatrics too.
SHAPE = {
    "general": [300, 280, 290, 300, 320, 420, 380],
    "paediatric": [40, 40, 40, 40, 50, 160, 150],
}


def clinic_year(*, weeks=40, noise=0.15, growth=0.0, holidays=(), school=(), closed=(), seed=1):
    """History and calendar of a clinic: the shape above, mornings 60 %, with noise,
    holidays at 40 % of a day, children ×3 on school-holiday weekdays."""
    rng = np.random.default_rng(seed)
    history, calendar = [], {}
    for n in range(weeks * 7):
        day = FIRST + timedelta(days=n)
        calendar[day] = Day(
            day,
            open=day not in closed,
            holiday="国庆节" if day in holidays or day in closed else "",
            school_holiday=day in school,
        )
        if day in closed:
            continue
        for skill in SKILLS:
            level = SHAPE[skill][day.weekday()] * (1 + growth * n / 7)
            if day in holidays:
                level *= 0.4
            if skill == "paediatric" and day in school and day.weekday() < 5:
                level *= 3
            for half, share in ((MORNING, 0.6), (AFTERNOON, 0.4)):
                minutes = max(0.0, level * share * (1 + noise * rng.standard_normal()))
                history.append(Observation(day, half, skill, round(minutes)))
    return history, calendar


def week_of(rows, skill=None, half=None):
    return {
        (row.day, row.half_day, row.skill): row
        for row in rows
        if (skill is None or row.skill == skill) and (half is None or row.half_day == half)
    }


def test_an_ordinary_week_is_forecast_from_each_weekdays_usual_bookings():
    history, calendar = clinic_year(weeks=20, noise=0.1)
    start = FIRST + timedelta(weeks=20)
    rows = forecast(
        history=history, calendar=calendar, skills=SKILLS, half_days=HALVES, start=start, days=7
    )
    assert len(rows) == 7 * 2 * 2
    saturday = start + timedelta(days=5)
    general = {
        row.day: row.minutes for row in rows if row.skill == "general" and row.half_day == MORNING
    }
    assert general[saturday] == pytest.approx(420 * 0.6, rel=0.1)
    assert general[start] == pytest.approx(300 * 0.6, rel=0.1)


def test_the_baseline_is_the_same_half_day_a_week_before():
    history, calendar = clinic_year(weeks=10)
    start = FIRST + timedelta(weeks=10)
    rows = forecast(
        history=history, calendar=calendar, skills=SKILLS, half_days=HALVES, start=start, days=14
    )
    booked = {(row.day, row.half_day, row.skill): row.minutes for row in history}
    for row in rows:
        # The second week repeats the last week known, as "same as last week" would.
        back = row.day - timedelta(days=7 if row.day < start + timedelta(days=7) else 14)
        assert row.baseline == booked[(back, row.half_day, row.skill)]


def test_a_closed_day_books_nothing_and_a_holiday_a_share_learnt_from_past_ones():
    past = {FIRST + timedelta(weeks=w, days=2) for w in (5, 9, 13)}  # Wednesdays
    coming_holiday = FIRST + timedelta(weeks=20, days=2)
    closed = FIRST + timedelta(weeks=20, days=3)
    history, calendar = clinic_year(weeks=20, noise=0.05, holidays=past)
    calendar[coming_holiday] = Day(coming_holiday, holiday="国庆节")
    calendar[closed] = Day(closed, open=False, holiday="国庆节")
    rows = forecast(
        history=history,
        calendar=calendar,
        skills=SKILLS,
        half_days=HALVES,
        start=FIRST + timedelta(weeks=20),
        days=7,
    )
    general = {
        row.day: row.minutes for row in rows if row.skill == "general" and row.half_day == MORNING
    }
    ordinary_wednesday = 290 * 0.6
    # Three past holidays at 40 % against a prior of 70 % worth three days: about 55 %.
    assert 0.45 * ordinary_wednesday < general[coming_holiday] < 0.6 * ordinary_wednesday
    assert general[closed] == 0


def test_a_make_up_working_day_follows_the_weekday_it_works_as():
    history, calendar = clinic_year(weeks=12, noise=0.05)
    start = FIRST + timedelta(weeks=12)
    sunday = start + timedelta(days=6)
    calendar[sunday] = Day(sunday, works_as=0)  # 调休上班: a Monday
    rows = forecast(
        history=history, calendar=calendar, skills=SKILLS, half_days=HALVES, start=start, days=7
    )
    general = week_of(rows, "general", MORNING)
    assert general[(sunday, MORNING, "general")].minutes == pytest.approx(
        general[(start, MORNING, "general")].minutes, rel=0.05
    )


def test_children_come_when_school_is_out():
    summer = [FIRST + timedelta(weeks=8, days=n) for n in range(28)]
    coming_summer = [FIRST + timedelta(weeks=20, days=n) for n in range(7)]
    history, calendar = clinic_year(weeks=20, noise=0.05, school=set(summer))
    for day in coming_summer:
        calendar[day] = Day(day, school_holiday=True)
    start = FIRST + timedelta(weeks=20)
    rows = forecast(
        history=history, calendar=calendar, skills=SKILLS, half_days=HALVES, start=start, days=7
    )
    tuesday = start + timedelta(days=1)
    paediatric = week_of(rows, "paediatric", MORNING)[(tuesday, MORNING, "paediatric")].minutes
    general = week_of(rows, "general", MORNING)[(tuesday, MORNING, "general")].minutes
    assert paediatric == pytest.approx(40 * 0.6 * 3, rel=0.15)
    assert general == pytest.approx(280 * 0.6, rel=0.1)  # adults come as in term time


def test_a_growing_clinic_is_forecast_above_its_average():
    history, calendar = clinic_year(weeks=20, noise=0.05, growth=0.01)
    start = FIRST + timedelta(weeks=20)
    rows = forecast(
        history=history, calendar=calendar, skills=SKILLS, half_days=HALVES, start=start, days=7
    )
    monday = week_of(rows, "general", MORNING)[(start, MORNING, "general")].minutes
    assert monday == pytest.approx(300 * 0.6 * 1.20, rel=0.05)  # 20 weeks of 1 % a week


def test_the_backtest_beats_same_as_last_week_on_a_clinic_with_holidays():
    holidays = {FIRST + timedelta(weeks=w, days=d) for w in (10, 22, 30) for d in range(3)}
    history, calendar = clinic_year(weeks=36, holidays=holidays)
    result = backtest(
        history=history,
        calendar=calendar,
        skills=SKILLS,
        half_days=HALVES,
        first=FIRST,
        last=FIRST + timedelta(weeks=36, days=-1),
        weeks=20,
    )
    assert result.weeks == 20
    assert result.cells == 20 * 7 * 2 * 2
    assert result.beats_baseline
    assert result.mase < result.baseline_mase


def test_a_backtest_needs_some_history():
    history, calendar = clinic_year(weeks=4)
    with pytest.raises(ValueError):
        backtest(
            history=history,
            calendar=calendar,
            skills=SKILLS,
            first=FIRST,
            last=FIRST + timedelta(weeks=4, days=-1),
        )


def test_visits_are_summed_per_date_half_day_and_skill():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Shanghai")
    rows = observations(
        [
            (datetime(2026, 3, 2, 9, 0, tzinfo=zone), 30, "general"),
            (datetime(2026, 3, 2, 11, 30, tzinfo=zone), 45, "general"),
            (datetime(2026, 3, 2, 12, 0, tzinfo=zone), 60, "implant"),
            (datetime(2026, 3, 2, 18, 15, tzinfo=zone), 30, "general"),
        ]
    )
    got = {(row.half_day, row.skill): row.minutes for row in rows}
    assert got == {(MORNING, "general"): 75, (AFTERNOON, "implant"): 60, (EVENING, "general"): 30}
    assert half_day_of(datetime(2026, 3, 2, 17, 59, tzinfo=zone)) == AFTERNOON
