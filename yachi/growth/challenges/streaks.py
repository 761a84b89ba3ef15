"""Streaks and their calendar, pure (no Django): dates in, numbers and weeks out."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def streak_after(*, last_day: date | None, current: int, day: date) -> int:
    """The run of days after checking in on ``day``: one more when the last check-in
    was the day before, else (a missed day, or the first) a new run of one."""
    if last_day is not None and last_day == day - timedelta(days=1):
        return current + 1
    return 1


def streak_now(*, last_day: date | None, current: int, today: date) -> int:
    """The run as it stands today: still alive while today's check-in may come."""
    if last_day is None or last_day < today - timedelta(days=1):
        return 0
    return current


@dataclass(frozen=True)
class Cell:
    day: date | None  # None: a blank before the first or after the last of the month
    checked: bool = False
    today: bool = False
    in_challenge: bool = False


def month_weeks(
    *, year: int, month: int, checked: set[date], today: date, first: date, last: date
) -> list[list[Cell]]:
    """The month as weeks from Monday, each day marked checked in, today, in the challenge."""
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                Cell(
                    day=d,
                    checked=d in checked,
                    today=d == today,
                    in_challenge=first <= d <= last,
                )
                if d.month == month
                else Cell(day=None)
                for d in week
            ]
        )
    return weeks
