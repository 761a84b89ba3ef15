"""A doctor's working time at a clinic: the weekly template, leave and extra shifts."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import ClinicFactory, DoctorFactory
from yachi.rostering.choices import ShiftKind
from yachi.rostering.selectors import working_intervals
from yachi.rostering.tests.helpers import (
    MONDAY,
    TUESDAY,
    WEDNESDAY,
    coming,
    extra,
    hours,
    leave,
    weekly,
)

pytestmark = pytest.mark.django_db

FULL_DAY = ["09:00–12:00", "13:00–18:00"]  # what every doctor of the shared world works


@pytest.fixture
def new_doctor(world):
    """A doctor of clinic A with no hours yet."""
    return DoctorFactory(name="孙医生", clinics=[world.clinic_a])


# --- the weekly template -----------------------------------------------------------------------


def test_a_weekly_template_gives_hours_on_its_weekdays_only(world, new_doctor):
    weekly(new_doctor, world.clinic_a, MONDAY, 9, 12)
    weekly(new_doctor, world.clinic_a, WEDNESDAY, 14, 18)
    monday = coming(MONDAY)
    week = working_intervals(
        doctor_ids=[new_doctor.pk],
        clinic_id=world.clinic_a.pk,
        zone=ZoneInfo(world.clinic_a.timezone),
        first_day=monday,
        last_day=monday + timedelta(days=6),
    )
    assert len(week) == 7  # every day is answered, working or not
    worked = {day.weekday(): spans for (_doctor, day), spans in week.items() if spans}
    assert list(worked) == [MONDAY, WEDNESDAY]
    assert hours(new_doctor, world.clinic_a, monday) == ["09:00–12:00"]
    assert hours(new_doctor, world.clinic_a, monday + timedelta(days=2)) == ["14:00–18:00"]


def test_the_template_repeats_every_week(world, new_doctor):
    weekly(new_doctor, world.clinic_a, TUESDAY, 9, 12)
    for weeks in range(3):
        assert hours(new_doctor, world.clinic_a, coming(TUESDAY, weeks=weeks)) == ["09:00–12:00"]


def test_working_hours_are_the_clinics_local_time(world):
    day = coming(MONDAY)
    [(start, end), _afternoon] = working_intervals(
        doctor_ids=[world.clinic_a_doctor.pk],
        clinic_id=world.clinic_a.pk,
        zone=ZoneInfo(world.clinic_a.timezone),
        first_day=day,
        last_day=day,
    )[(world.clinic_a_doctor.pk, day)]
    assert start.utcoffset() == timedelta(hours=8)
    assert start == datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1)
    assert end - start == timedelta(hours=3)


def test_a_clinic_in_another_time_zone_works_by_its_own_clock(world):
    kashgar = ClinicFactory(chain=world.chain, name="喀什店", timezone="Asia/Urumqi")
    doctor = DoctorFactory(clinics=[kashgar])
    weekly(doctor, kashgar, MONDAY, 9, 12)
    day = coming(MONDAY)
    assert hours(doctor, kashgar, day) == ["09:00–12:00"]
    [(start, _end)] = working_intervals(
        doctor_ids=[doctor.pk],
        clinic_id=kashgar.pk,
        zone=ZoneInfo(kashgar.timezone),
        first_day=day,
        last_day=day,
    )[(doctor.pk, day)]
    # 09:00 in Kashgar is 11:00 in Shanghai.
    assert start.astimezone(ZoneInfo("Asia/Shanghai")).hour == 11


def test_overlapping_shifts_merge_into_one_stretch(world, new_doctor):
    weekly(new_doctor, world.clinic_a, MONDAY, 9, 12)
    weekly(new_doctor, world.clinic_a, MONDAY, 11, 14)
    weekly(new_doctor, world.clinic_a, MONDAY, 14, 16)  # touching: no gap to book around
    assert hours(new_doctor, world.clinic_a, coming(MONDAY)) == ["09:00–16:00"]


def test_a_shift_at_another_clinic_does_not_count_here(world):
    doctor = DoctorFactory(clinics=[world.clinic_a, world.clinic_b])
    weekly(doctor, world.clinic_a, MONDAY, 9, 12)
    weekly(doctor, world.clinic_b, MONDAY, 14, 18)
    monday = coming(MONDAY)
    extra(doctor, world.clinic_b, monday, 18, 20)
    assert hours(doctor, world.clinic_a, monday) == ["09:00–12:00"]
    assert hours(doctor, world.clinic_b, monday) == ["14:00–20:00"]


def test_on_call_time_is_on_duty_but_not_bookable(world):
    weekly(world.clinic_a_doctor, world.clinic_a, MONDAY, 18, 22, kind=ShiftKind.ON_CALL)
    monday = coming(MONDAY)
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == FULL_DAY
    assert hours(world.clinic_a_doctor, world.clinic_a, monday, on_call=True) == [
        "09:00–12:00",
        "13:00–22:00",
    ]


# --- leave ---------------------------------------------------------------------------------------


def test_leave_on_a_monday_removes_that_mondays_hours(world):
    monday = coming(MONDAY)
    leave(world.clinic_a_doctor, monday)
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == []
    assert hours(world.clinic_a_doctor, world.clinic_a, monday + timedelta(days=1)) == FULL_DAY
    assert hours(world.clinic_a_doctor, world.clinic_a, coming(MONDAY, weeks=1)) == FULL_DAY


def test_part_day_leave_removes_only_those_hours(world):
    monday = coming(MONDAY)
    leave(world.clinic_a_doctor, monday, 10, 11)
    leave(world.clinic_a_doctor, monday, 16, 19)
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == [
        "09:00–10:00",
        "11:00–12:00",
        "13:00–16:00",
    ]


def test_leave_over_lunch_takes_the_edges_of_both_shifts(world):
    monday = coming(MONDAY)
    leave(world.clinic_a_doctor, monday, 11, 14)
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == ["09:00–11:00", "14:00–18:00"]


def test_leave_without_a_clinic_counts_at_every_clinic(world):
    doctor = DoctorFactory(clinics=[world.clinic_a, world.clinic_b])
    weekly(doctor, world.clinic_a, MONDAY, 9, 12)
    weekly(doctor, world.clinic_b, MONDAY, 14, 18)
    monday = coming(MONDAY)
    leave(doctor, monday)
    assert hours(doctor, world.clinic_a, monday) == []
    assert hours(doctor, world.clinic_b, monday) == []


def test_leave_from_one_clinic_keeps_the_hours_at_the_other(world):
    doctor = DoctorFactory(clinics=[world.clinic_a, world.clinic_b])
    weekly(doctor, world.clinic_a, MONDAY, 9, 12)
    weekly(doctor, world.clinic_b, MONDAY, 14, 18)
    monday = coming(MONDAY)
    leave(doctor, monday, clinic=world.clinic_b)
    assert hours(doctor, world.clinic_a, monday) == ["09:00–12:00"]
    assert hours(doctor, world.clinic_b, monday) == []


def test_leave_of_one_doctor_leaves_the_others_hours_alone(world):
    monday = coming(MONDAY)
    leave(world.clinic_a_doctor, monday)
    assert hours(world.clinic_a_implant_doctor, world.clinic_a, monday) == FULL_DAY


# --- extra shifts --------------------------------------------------------------------------------


def test_an_extra_shift_adds_time(world, new_doctor):
    saturday = coming(MONDAY) + timedelta(days=5)
    extra(new_doctor, world.clinic_a, saturday, 9, 13)
    assert hours(new_doctor, world.clinic_a, saturday) == ["09:00–13:00"]
    assert hours(new_doctor, world.clinic_a, saturday + timedelta(days=7)) == []


def test_an_extra_evening_joins_the_afternoon_it_continues(world):
    monday = coming(MONDAY)
    extra(world.clinic_a_doctor, world.clinic_a, monday, 18, 20)
    extra(world.clinic_a_doctor, world.clinic_a, monday, 12, 13)  # works through lunch
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == ["09:00–20:00"]


def test_leave_wins_over_an_extra_shift_the_same_day(world):
    monday = coming(MONDAY)
    extra(world.clinic_a_doctor, world.clinic_a, monday, 18, 20)
    leave(world.clinic_a_doctor, monday, 17, 23)
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == ["09:00–12:00", "13:00–17:00"]


# --- cost ----------------------------------------------------------------------------------------


def test_four_queries_answer_a_fortnight_for_every_doctor(world, django_assert_max_num_queries):
    """Availability asks for many doctors and days at once on every booking page; the
    third query reads the clinic's calendar (holidays, make-up working days)."""
    doctors = [world.clinic_a_doctor, world.clinic_a_implant_doctor, world.clinic_b_doctor]
    monday = coming(MONDAY)
    leave(world.clinic_a_doctor, monday)
    leave(world.clinic_a_implant_doctor, monday + timedelta(days=1), 9, 10)
    extra(world.clinic_a_implant_doctor, world.clinic_a, monday + timedelta(days=2), 18, 20)
    # The calendar, the template, the exceptions and the published roster.
    with django_assert_max_num_queries(4):
        fortnight = working_intervals(
            doctor_ids=[d.pk for d in doctors],
            clinic_id=world.clinic_a.pk,
            zone=ZoneInfo(world.clinic_a.timezone),
            first_day=monday,
            last_day=monday + timedelta(days=13),
        )
    assert len(fortnight) == 3 * 14
    assert fortnight[(world.clinic_a_doctor.pk, monday)] == []
    assert fortnight[(world.clinic_b_doctor.pk, monday)] == []  # works at clinic B only
    assert len(fortnight[(world.clinic_a_implant_doctor.pk, monday + timedelta(days=2))]) == 2
