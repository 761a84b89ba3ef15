"""China's public holidays and make-up working days (调休), from a maintained source.

The State Council publishes each year's arrangement in November for the year after.
The ``chinese-calendar`` package follows those notices; a year it does not cover yet
comes from the table below, which holds only the statutory days off that the
Regulation on National Annual Leave and Commemorative Days fixes by date (as revised
in 2024: 元旦 1 day, 春节 4, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3). The bridging
days and make-up working days of such a year are not known before the notice: a
clinic adds them to its own calendar, or a newer ``chinese-calendar`` brings them.

Pure Python: no Django.
"""

from dataclasses import dataclass
from datetime import date

import chinese_calendar

HOLIDAY = "holiday"
WORKDAY = "workday"

# The festivals, in the words clinics use.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}

# Statutory days off of years the package does not cover yet; lunar dates converted
# (春节 2027-02-06 is 正月初一, 端午 五月初五, 中秋 八月十五), 清明 is the solar term.
STATUTORY = {
    2027: (
        (date(2027, 1, 1), "元旦"),
        (date(2027, 2, 5), "春节"),
        (date(2027, 2, 6), "春节"),
        (date(2027, 2, 7), "春节"),
        (date(2027, 2, 8), "春节"),
        (date(2027, 4, 5), "清明节"),
        (date(2027, 5, 1), "劳动节"),
        (date(2027, 5, 2), "劳动节"),
        (date(2027, 6, 9), "端午节"),
        (date(2027, 9, 15), "中秋节"),
        (date(2027, 10, 1), "国庆节"),
        (date(2027, 10, 2), "国庆节"),
        (date(2027, 10, 3), "国庆节"),
    ),
}


@dataclass(frozen=True)
class PublicDay:
    day: date
    kind: str  # HOLIDAY: a day off; WORKDAY: a weekend day worked instead (调休上班)
    name: str


class YearNotCovered(ValueError):
    """Neither the package nor the project's table knows this year."""


def _package_covers(year: int) -> bool:
    return any(day.year == year for day in chinese_calendar.holidays)


def announced(year: int) -> bool:
    """Whether the year's full arrangement, make-up working days included, is known."""
    return _package_covers(year)


def public_days(year: int) -> list[PublicDay]:
    """The year's days off and make-up working days, in date order."""
    if _package_covers(year):
        days = [
            PublicDay(day, HOLIDAY, NAMES.get(name, name))
            for day, name in chinese_calendar.holidays.items()
            if day.year == year
        ]
        days += [
            PublicDay(day, WORKDAY, NAMES.get(name, name))
            for day, name in chinese_calendar.workdays.items()
            if day.year == year
        ]
        return sorted(days, key=lambda item: item.day)
    if year in STATUTORY:
        return [PublicDay(day, HOLIDAY, name) for day, name in STATUTORY[year]]
    raise YearNotCovered(year)


def is_public_holiday(day: date) -> bool:
    """A national day off. Weekends are not holidays here: clinics open on them."""
    try:
        return any(item.day == day and item.kind == HOLIDAY for item in public_days(day.year))
    except YearNotCovered:
        return False
