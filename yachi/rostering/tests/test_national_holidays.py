"""The national holidays of 2026 and 2027 as the demand forecast and the rosters see a
clinic's calendar.

2026: the State Council's notice of 4 November 2025 (国办发明电〔2025〕7号), kept in the
project's table and checked against the pinned ``chinese-calendar``. 2027: until its notice
is out, the statutory days off of the Regulation on National Annual Leave and Commemorative
Days (as revised in 2024), their lunar dates checked against ``lunar-python``; the bridge days
and make-up working days are what a manager enters once the notice is published.
"""

from datetime import date, timedelta

import chinese_calendar
import pytest
from lunar_python import Lunar

from yachi.clinics import holidays
from yachi.clinics.facade import arrangement_enter, calendar_seed, public_holiday_names
from yachi.compliance.models import AuditEntry
from yachi.core.errors import InvalidInput, PermissionDenied
from yachi.rostering.facade import clinic_days
from yachi.rostering.tests.helpers import hours

pytestmark = pytest.mark.django_db


def span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


NOTICE_2026 = {
    "元旦": span(date(2026, 1, 1), date(2026, 1, 3)),
    "春节": span(date(2026, 2, 15), date(2026, 2, 23)),
    "清明节": span(date(2026, 4, 4), date(2026, 4, 6)),
    "劳动节": span(date(2026, 5, 1), date(2026, 5, 5)),
    "端午节": span(date(2026, 6, 19), date(2026, 6, 21)),
    "中秋节": span(date(2026, 9, 25), date(2026, 9, 27)),
    "国庆节": span(date(2026, 10, 1), date(2026, 10, 7)),
}
MAKE_UP_2026 = [
    date(2026, 1, 4),  # 元旦, a Sunday
    date(2026, 2, 14),  # 春节, Saturdays before and after
    date(2026, 2, 28),
    date(2026, 5, 9),  # 劳动节
    date(2026, 9, 20),  # 国庆节, a Sunday and a Saturday
    date(2026, 10, 10),
]
STATUTORY_2027 = {
    "元旦": [date(2027, 1, 1)],
    "春节": span(date(2027, 2, 5), date(2027, 2, 8)),  # 除夕 to 正月初三
    "清明节": [date(2027, 4, 5)],
    "劳动节": [date(2027, 5, 1), date(2027, 5, 2)],
    "端午节": [date(2027, 6, 9)],
    "中秋节": [date(2027, 9, 15)],
    "国庆节": span(date(2027, 10, 1), date(2027, 10, 3)),
}


def by_name(names: dict[date, str]) -> dict[str, list[date]]:
    grouped: dict[str, list[date]] = {}
    for day, name in sorted(names.items()):
        grouped.setdefault(name, []).append(day)
    return grouped


def test_2026_has_the_days_off_of_the_state_councils_notice():
    names = public_holiday_names(first_day=date(2026, 1, 1), last_day=date(2026, 12, 31))
    assert by_name(names) == NOTICE_2026


def test_2027_has_its_statutory_days_off_until_the_notice_is_out():
    names = public_holiday_names(first_day=date(2027, 1, 1), last_day=date(2027, 12, 31))
    assert by_name(names) == STATUTORY_2027


def test_a_clinics_calendar_closes_the_days_off_and_works_the_make_up_days(world):
    calendar_seed(clinic=world.clinic_a, years=(2026, 2027))
    days = clinic_days(
        clinic_id=world.clinic_a.pk, first_day=date(2026, 1, 1), last_day=date(2027, 12, 31)
    )
    closed = {day for day, item in days.items() if not item.open}
    assert closed == {
        day for spans in (NOTICE_2026, STATUTORY_2027) for dates in spans.values() for day in dates
    }
    make_up = sorted(day for day, item in days.items() if item.works_as is not None)
    assert make_up == MAKE_UP_2026
    assert all(days[day].day.weekday() >= 5 for day in make_up)  # weekends worked as weekdays
    assert days[date(2026, 2, 16)].holiday == "春节"


def test_the_table_of_2026_is_the_published_arrangement():
    assert holidays.announced(2026)
    published_off = {d for d in chinese_calendar.holidays if d.year == 2026}
    published_work = {d for d in chinese_calendar.workdays if d.year == 2026}
    table = holidays.public_days(2026)
    assert {i.day for i in table if i.kind == holidays.HOLIDAY} == published_off
    assert {i.day for i in table if i.kind == holidays.WORKDAY} == published_work
    assert sorted(published_work) == MAKE_UP_2026


def _solar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def test_the_statutory_days_of_2027_fall_on_their_lunar_dates():
    new_year = _solar(2027, 1, 1)  # 正月初一
    assert STATUTORY_2027["春节"] == [new_year + timedelta(days=n) for n in range(-1, 3)]
    assert STATUTORY_2027["端午节"] == [_solar(2027, 5, 5)]
    assert STATUTORY_2027["中秋节"] == [_solar(2027, 8, 15)]
    qingming = Lunar.fromYmd(2027, 3, 1).getJieQiTable()["清明"]
    assert STATUTORY_2027["清明节"] == [date(2027, qingming.getMonth(), qingming.getDay())]
    # The make-up working days of 2027 are not invented: the table says they are unknown.
    assert not holidays.announced(2027)
    assert [i for i in holidays.public_days(2027) if i.kind == holidays.WORKDAY] == []


def test_an_entered_arrangement_changes_the_working_calendar(world):
    calendar_seed(clinic=world.clinic_a, years=(2027,))
    clinic = world.clinic_a
    # Saturday 2027-02-20 works as a Friday; Tuesday 2027-02-09 is a bridge day off.
    saturday, bridge = date(2027, 2, 20), date(2027, 2, 9)
    assert clinic_days(clinic_id=clinic.pk, first_day=bridge, last_day=bridge)[bridge].open
    arrangement_enter(
        actor=world.clinic_a_manager,
        clinic_list=[clinic],
        year=2027,
        days_off=[(bridge, "春节")],
        make_up=[(saturday, 4, "春节")],
    )
    days = clinic_days(clinic_id=clinic.pk, first_day=bridge, last_day=saturday)
    assert not days[bridge].open
    assert days[saturday].works_as == 4
    assert hours(world.clinic_a_doctor, clinic, bridge) == []
    friday_hours = hours(world.clinic_a_doctor, clinic, date(2027, 2, 19))
    assert friday_hours
    assert hours(world.clinic_a_doctor, clinic, saturday) == friday_hours
    entry = (
        AuditEntry.objects.filter(action="calendar_changed", clinic=str(clinic.public_id))
        .order_by("-seq")
        .first()
    )
    assert entry.details["change"] == "arrangement_entered"
    assert entry.details["make_up"] == [{"date": "2027-02-20", "works_as": 4}]


def test_an_arrangement_with_a_weekday_as_make_up_day_changes_nothing(world):
    with pytest.raises(InvalidInput):
        arrangement_enter(
            actor=world.clinic_a_manager,
            clinic_list=[world.clinic_a],
            year=2027,
            days_off=[],
            make_up=[(date(2027, 2, 17), 4, "春节")],  # a Wednesday
        )
    with pytest.raises(PermissionDenied):
        arrangement_enter(
            actor=world.clinic_a_front_desk,
            clinic_list=[world.clinic_a],
            year=2027,
            days_off=[(date(2027, 2, 9), "春节")],
            make_up=[],
        )
    assert not world.clinic_a.calendar_days.filter(date__year=2027).exists()


def test_the_calendar_page_says_2027_lacks_its_make_up_days_until_entered(client, world):
    client.force_login(world.clinic_a_manager)
    url = f"/console/clinic/{world.clinic_a.public_id}/roster/calendar/?year=2027"
    page = client.get(url).content.decode()
    assert 'id="arrangement-pending"' in page
    answer = client.post(
        url,
        {
            "action": "arrangement",
            "days_off": "2027-02-09 春节\n",
            "make_up": "2027-02-20 春节\n2027-02-21 春节",
            "works_as": "4",
        },
    )
    assert answer.status_code == 302
    assert 'id="arrangement-pending"' not in client.get(url).content.decode()
    days = clinic_days(
        clinic_id=world.clinic_a.pk, first_day=date(2027, 2, 9), last_day=date(2027, 2, 21)
    )
    assert not days[date(2027, 2, 9)].open and days[date(2027, 2, 21)].works_as == 4
    bad = client.post(url, {"action": "arrangement", "days_off": "9 Feb", "make_up": ""})
    assert bad.status_code == 200 and "YYYY-MM-DD" in bad.content.decode()
