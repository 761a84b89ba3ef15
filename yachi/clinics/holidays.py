"""China's public holidays and make-up working days (调休): the project's own table.

The State Council publishes each year's arrangement (its notice, usually in November for
the year after: which days are off, which weekend days are worked instead). The table below
is kept by hand, one entry a year, and says for each year whether its arrangement is the
published one (``official``) or only the statutory days off that the Regulation on National
Annual Leave and Commemorative Days (全国年节及纪念日放假办法, as revised in 2024) fixes by
date: 元旦 1 day, 春节 4 (除夕 to 正月初三), 清明 1, 劳动节 2 (May 1–2), 端午 1, 中秋 1,
国庆 3 (October 1–3). The bridging days and make-up working days of such a year are not
known before its notice: managers enter them in the console once published (the clinic
calendar, ``calendar.arrangement_enter``), and the forecast and the rosters follow that entry.

Lunar dates are converted once when the year is added; the tests check them against
``lunar-python`` and the published years against ``chinese-calendar``.

Pure Python: no Django.
"""

from dataclasses import dataclass
from datetime import date, timedelta

HOLIDAY = "holiday"
WORKDAY = "workday"


def _span(first: date, last: date, name: str) -> tuple[tuple[date, str], ...]:
    return tuple((first + timedelta(days=n), name) for n in range((last - first).days + 1))


@dataclass(frozen=True)
class YearArrangement:
    year: int
    days_off: tuple[tuple[date, str], ...]
    make_up: tuple[tuple[date, str], ...]  # weekend days worked instead (调休上班)
    official: bool  # the State Council's notice is in the table, make-up days included
    source: str


TABLE = {
    2026: YearArrangement(
        year=2026,
        days_off=(
            *_span(date(2026, 1, 1), date(2026, 1, 3), "元旦"),
            *_span(date(2026, 2, 15), date(2026, 2, 23), "春节"),
            *_span(date(2026, 4, 4), date(2026, 4, 6), "清明节"),
            *_span(date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
            *_span(date(2026, 6, 19), date(2026, 6, 21), "端午节"),
            *_span(date(2026, 9, 25), date(2026, 9, 27), "中秋节"),
            *_span(date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
        ),
        make_up=(
            (date(2026, 1, 4), "元旦"),
            (date(2026, 2, 14), "春节"),
            (date(2026, 2, 28), "春节"),
            (date(2026, 5, 9), "劳动节"),
            (date(2026, 9, 20), "国庆节"),
            (date(2026, 10, 10), "国庆节"),
        ),
        official=True,
        source="国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
    ),
    # 春节: 正月初一 is 2027-02-06, 除夕 the day before; 端午 五月初五 2027-06-09; 中秋
    # 八月十五 2027-09-15; 清明 the solar term, 2027-04-05.
    2027: YearArrangement(
        year=2027,
        days_off=(
            (date(2027, 1, 1), "元旦"),
            *_span(date(2027, 2, 5), date(2027, 2, 8), "春节"),
            (date(2027, 4, 5), "清明节"),
            *_span(date(2027, 5, 1), date(2027, 5, 2), "劳动节"),
            (date(2027, 6, 9), "端午节"),
            (date(2027, 9, 15), "中秋节"),
            *_span(date(2027, 10, 1), date(2027, 10, 3), "国庆节"),
        ),
        make_up=(),
        official=False,
        source="全国年节及纪念日放假办法（2024年修订）",
    ),
}


@dataclass(frozen=True)
class PublicDay:
    day: date
    kind: str  # HOLIDAY: a day off; WORKDAY: a weekend day worked instead (调休上班)
    name: str


class YearNotCovered(ValueError):
    """The project's table does not hold this year."""


def covered_years() -> tuple[int, ...]:
    return tuple(sorted(TABLE))


def announced(year: int) -> bool:
    """Whether the year's full arrangement, make-up working days included, is in the table
    (False for a year whose notice is not out, and for a year the table lacks)."""
    entry = TABLE.get(year)
    return bool(entry and entry.official)


def public_days(year: int) -> list[PublicDay]:
    """The year's days off and make-up working days, in date order."""
    entry = TABLE.get(year)
    if entry is None:
        raise YearNotCovered(year)
    days = [PublicDay(day, HOLIDAY, name) for day, name in entry.days_off]
    days += [PublicDay(day, WORKDAY, name) for day, name in entry.make_up]
    return sorted(days, key=lambda item: item.day)


def is_public_holiday(day: date) -> bool:
    """A national day off. Weekends are not holidays here: clinics open on them."""
    entry = TABLE.get(day.year)
    return bool(entry) and any(item == day for item, _name in entry.days_off)
