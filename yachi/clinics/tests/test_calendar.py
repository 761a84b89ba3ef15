"""The clinic holiday calendar: seeded from the national one, edited per clinic."""

from datetime import date, time

import chinese_calendar
import pytest

from yachi.clinics import holidays
from yachi.clinics.choices import DayKind, Weekday
from yachi.clinics.facade import (
    calendar_day_delete,
    calendar_day_save,
    calendar_seed,
    is_public_holiday,
    opening_hours_on,
    year_calendar,
)
from yachi.clinics.models import OpeningHours
from yachi.compliance.models import AuditEntry
from yachi.core.errors import InvalidInput


def test_2026_follows_the_state_councils_notice():
    days = {item.day: item for item in holidays.public_days(2026)}
    assert holidays.announced(2026)
    assert days[date(2026, 2, 15)].kind == holidays.HOLIDAY  # 春节 from 腊月二十八
    assert days[date(2026, 2, 23)].name == "春节"
    assert days[date(2026, 10, 7)].name == "国庆节"
    workdays = sorted(day for day, item in days.items() if item.kind == holidays.WORKDAY)
    assert workdays == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]


def test_2027_has_its_thirteen_statutory_days_until_its_notice_is_out():
    days = holidays.public_days(2027)
    assert len(days) == 13
    assert {item.kind for item in days} == {holidays.HOLIDAY}
    names = [item.name for item in days]
    assert names.count("春节") == 4 and names.count("劳动节") == 2 and names.count("国庆节") == 3
    # 清明 is the day of the solar term, as the package's astronomy has it.
    [qingming] = [item.day for item in days if item.name == "清明节"]
    assert (qingming, "清明") in chinese_calendar.get_solar_terms(
        date(2027, 4, 1), date(2027, 4, 30)
    )
    # 除夕 is the eve of 正月初一 (2027-02-06), the other three follow it.
    spring = [item.day for item in days if item.name == "春节"]
    assert spring == [date(2027, 2, day) for day in (5, 6, 7, 8)]


def test_a_year_no_source_covers_is_said_so():
    with pytest.raises(holidays.YearNotCovered):
        holidays.public_days(2030)
    assert not is_public_holiday(date(2030, 10, 1))


def test_public_holidays_are_days_off_not_weekends():
    assert is_public_holiday(date(2026, 10, 1))
    assert not is_public_holiday(date(2026, 10, 10))  # a make-up Saturday
    assert not is_public_holiday(date(2026, 12, 5))  # an ordinary Saturday


@pytest.mark.django_db
def test_seeding_keeps_what_the_clinic_chose(world):
    # This clinic opens on National Day.
    calendar_day_save(
        actor=None,
        clinic=world.clinic_a,
        day=date(2026, 10, 1),
        kind=DayKind.OPEN,
        works_as=Weekday.SATURDAY,
    )
    added = calendar_seed(clinic=world.clinic_a)
    assert added == 39 + 13 - 1
    assert calendar_seed(clinic=world.clinic_a) == 0  # again: nothing new
    days = {row.date: row for row in year_calendar(clinic=world.clinic_a, year=2026)}
    assert days[date(2026, 10, 1)].kind == DayKind.OPEN
    assert days[date(2026, 10, 2)].kind == DayKind.CLOSED
    assert days[date(2026, 10, 10)].kind == DayKind.OPEN
    assert days[date(2026, 10, 10)].name == "国庆节调休上班"
    assert year_calendar(clinic=world.clinic_b, year=2026) == []


@pytest.mark.django_db
def test_calendar_changes_are_audited_with_their_actor(world):
    manager = world.clinic_a_manager
    calendar_day_save(actor=manager, clinic=world.clinic_a, day=date(2027, 1, 4), kind="closed")
    calendar_day_delete(actor=manager, clinic=world.clinic_a, day=date(2027, 1, 4))
    entries = AuditEntry.objects.filter(action="calendar_changed").order_by("seq")
    assert [entry.details["change"] for entry in entries] == ["saved", "removed"]
    assert {entry.actor_id for entry in entries} == {manager.pk}
    assert {entry.clinic for entry in entries} == {str(world.clinic_a.public_id)}


@pytest.mark.django_db
def test_a_bad_kind_is_refused_and_changes_nothing(world):
    with pytest.raises(InvalidInput):
        calendar_day_save(actor=None, clinic=world.clinic_a, day=date(2027, 1, 4), kind="maybe")
    assert year_calendar(clinic=world.clinic_a, year=2027) == []
    with pytest.raises(InvalidInput):
        calendar_day_delete(actor=None, clinic=world.clinic_a, day=date(2027, 1, 4))


@pytest.mark.django_db
def test_opening_hours_follow_the_calendar(world):
    for weekday, opens in ((Weekday.MONDAY, 9), (Weekday.SATURDAY, 10)):
        OpeningHours.objects.create(
            clinic=world.clinic_a, weekday=weekday, opens=time(opens), closes=time(18)
        )
    calendar_seed(clinic=world.clinic_a)
    assert opening_hours_on(clinic=world.clinic_a, day=date(2026, 10, 5)) == []  # 国庆, a Monday
    [monday_hours] = opening_hours_on(clinic=world.clinic_a, day=date(2026, 10, 10))  # 调休
    assert monday_hours.opens == time(9)
    [saturday] = opening_hours_on(clinic=world.clinic_a, day=date(2026, 12, 5))
    assert saturday.opens == time(10)
