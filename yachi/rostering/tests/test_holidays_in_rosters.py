"""Public holidays and make-up working days (调休) in doctors' working time."""

from datetime import date, time, timedelta

import pytest

from tests.factories import DoctorFactory
from yachi.clinics.choices import DayKind, Weekday
from yachi.clinics.facade import calendar_day_delete, calendar_day_save, calendar_seed
from yachi.core.errors import InvalidInput
from yachi.rostering.tests.helpers import MONDAY, coming, extra, hours, weekly

pytestmark = pytest.mark.django_db

FULL_DAY = ["09:00–12:00", "13:00–18:00"]


def test_a_closed_day_has_no_working_time(world):
    monday = coming(MONDAY)
    calendar_day_save(actor=None, clinic=world.clinic_a, day=monday, kind=DayKind.CLOSED)
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == []
    assert hours(world.clinic_a_doctor, world.clinic_a, monday, on_call=True) == []
    # Only that clinic closes, and only that day.
    assert hours(world.clinic_b_doctor, world.clinic_b, monday) == FULL_DAY
    assert hours(world.clinic_a_doctor, world.clinic_a, monday + timedelta(days=1)) == FULL_DAY


def test_an_extra_shift_on_a_closed_day_is_refused(world):
    monday = coming(MONDAY)
    calendar_day_save(actor=None, clinic=world.clinic_a, day=monday, kind=DayKind.CLOSED)
    with pytest.raises(InvalidInput) as caught:
        extra(world.clinic_a_doctor, world.clinic_a, monday, 18, 20)
    assert str(caught.value.message) == "诊所当天休息：请先在诊所日历中将该日改为上班。"


def test_a_make_up_working_day_keeps_the_hours_of_the_weekday_it_works_as(world):
    doctor = DoctorFactory(clinics=[world.clinic_a])  # works Mondays only
    weekly(doctor, world.clinic_a, MONDAY, 9, 12)
    sunday = coming(MONDAY) + timedelta(days=6)
    assert hours(doctor, world.clinic_a, sunday) == []
    calendar_day_save(
        actor=None, clinic=world.clinic_a, day=sunday, kind=DayKind.OPEN, works_as=Weekday.MONDAY
    )
    assert hours(doctor, world.clinic_a, sunday) == ["09:00–12:00"]


def test_a_clinic_that_opens_on_a_holiday_keeps_its_hours(world):
    monday = coming(MONDAY)
    calendar_day_save(actor=None, clinic=world.clinic_a, day=monday, kind=DayKind.CLOSED)
    calendar_day_delete(actor=None, clinic=world.clinic_a, day=monday)
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == FULL_DAY


def test_the_national_calendar_closes_national_day_and_opens_its_make_up_saturday(world):
    calendar_seed(clinic=world.clinic_a)
    assert hours(world.clinic_a_doctor, world.clinic_a, date(2026, 10, 1)) == []
    assert hours(world.clinic_a_doctor, world.clinic_a, date(2027, 2, 6)) == []  # 春节
    # 2026-10-10 is a Saturday worked for National Day: Monday's roster applies.
    doctor = DoctorFactory(clinics=[world.clinic_a])
    weekly(doctor, world.clinic_a, MONDAY, 8, 11)
    assert hours(doctor, world.clinic_a, date(2026, 10, 10)) == ["08:00–11:00"]


def test_four_queries_answer_a_fortnight_with_its_holidays(world, django_assert_max_num_queries):
    from zoneinfo import ZoneInfo

    from yachi.rostering.selectors import working_intervals

    monday = coming(MONDAY)
    calendar_day_save(actor=None, clinic=world.clinic_a, day=monday, kind=DayKind.CLOSED)
    # The calendar, the template, the exceptions and the published roster.
    with django_assert_max_num_queries(4):
        fortnight = working_intervals(
            doctor_ids=[world.clinic_a_doctor.pk, world.clinic_a_implant_doctor.pk],
            clinic_id=world.clinic_a.pk,
            zone=ZoneInfo(world.clinic_a.timezone),
            first_day=monday,
            last_day=monday + timedelta(days=13),
        )
    assert fortnight[(world.clinic_a_doctor.pk, monday)] == []
    assert fortnight[(world.clinic_a_doctor.pk, monday + timedelta(days=7))] != []
    assert time(9) == fortnight[(world.clinic_a_doctor.pk, monday + timedelta(days=7))][0][0].time()
