"""The clinic's calendar as the demand forecast reads it: for each date, whether the
clinic opens, whose weekday's pattern a make-up working day (调休上班) keeps, the public
holiday's name, and whether schools are out."""

from datetime import date, timedelta

from yachi.clinics import facade as clinics
from yachi.rostering.calendar.models import SchoolHoliday
from yachi.rostering.forecast.model import Day


def school_holidays(*, clinic_id: int, first_day: date | None = None, last_day: date | None = None):
    rows = SchoolHoliday.objects.filter(clinic_id=clinic_id)
    if first_day is not None:
        rows = rows.filter(last_day__gte=first_day)
    if last_day is not None:
        rows = rows.filter(first_day__lte=last_day)
    return list(rows.order_by("first_day"))


def clinic_days(*, clinic_id: int, first_day: date, last_day: date) -> dict[date, Day]:
    """Every date from ``first_day`` to ``last_day``: three queries whatever the span."""
    entries = clinics.calendar_days(clinic_id=clinic_id, first_day=first_day, last_day=last_day)
    names = clinics.public_holiday_names(first_day=first_day, last_day=last_day)
    schools = [
        (row.first_day, row.last_day)
        for row in school_holidays(clinic_id=clinic_id, first_day=first_day, last_day=last_day)
    ]
    days = {}
    day = first_day
    while day <= last_day:
        weekday = clinics.weekday_of(day, entries)
        days[day] = Day(
            day,
            open=weekday is not None,
            works_as=weekday if weekday is not None and weekday != day.weekday() else None,
            holiday=names.get(day, ""),
            school_holiday=any(a <= day <= b for a, b in schools),
        )
        day += timedelta(days=1)
    return days
