"""Changing the roster: what is refused, and who hears of what was changed."""

from datetime import date, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from yachi.core.errors import InvalidInput
from yachi.core.events import subscribe
from yachi.rostering.choices import ExceptionKind
from yachi.rostering.events import RosterChanged
from yachi.rostering.models import ShiftException, WeeklyShift
from yachi.rostering.services import (
    shift_exception_delete,
    shift_exception_save,
    weekly_shift_delete,
    weekly_shift_save,
)
from yachi.rostering.tests.helpers import MONDAY, coming, extra, hours, leave, weekly

pytestmark = pytest.mark.django_db

# A subscriber like any other context's: it hears an event only once the change is durable.
# Subscribing is for the life of the process, so it only records; each test starts it empty.
heard: list[RosterChanged] = []
subscribe(RosterChanged)(heard.append)


@pytest.fixture(autouse=True)
def _nothing_heard_yet():
    heard.clear()


@pytest.fixture
def roster_rows():
    """How many roster rows there are, to show that a refused change wrote nothing."""
    return lambda: (WeeklyShift.objects.count(), ShiftException.objects.count())


# --- who hears of a change -----------------------------------------------------------------------


def test_a_new_weekly_shift_is_announced_once_it_is_committed(
    world, django_capture_on_commit_callbacks
):
    doctor = world.clinic_a_doctor
    with django_capture_on_commit_callbacks(execute=True):
        weekly(doctor, world.clinic_a, MONDAY, 19, 21)
        assert heard == []  # not before the commit
    assert heard == [RosterChanged(doctor_id=doctor.pk, day=None)]


def test_new_leave_is_announced_for_its_day(world, django_capture_on_commit_callbacks):
    monday = coming(MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        leave(world.clinic_a_doctor, monday)
    assert heard == [RosterChanged(doctor_id=world.clinic_a_doctor.pk, day=monday)]


def test_moved_leave_is_announced_for_every_day(world, django_capture_on_commit_callbacks):
    """The day it left must be refreshed as well as the day it went to."""
    absence = leave(world.clinic_a_doctor, coming(MONDAY))
    absence.date += timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        shift_exception_save(exception=absence)
    assert heard == [RosterChanged(doctor_id=world.clinic_a_doctor.pk, day=None)]


def test_removals_are_announced_too(world, django_capture_on_commit_callbacks):
    monday = coming(MONDAY)
    evening = weekly(world.clinic_a_doctor, world.clinic_a, MONDAY, 19, 21)
    absence = leave(world.clinic_a_doctor, monday)
    with django_capture_on_commit_callbacks(execute=True):
        weekly_shift_delete(shift=evening)
        shift_exception_delete(exception=absence)
    doctor_id = world.clinic_a_doctor.pk
    assert heard == [
        RosterChanged(doctor_id=doctor_id, day=None),
        RosterChanged(doctor_id=doctor_id, day=monday),
    ]
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == [
        "09:00–12:00",
        "13:00–18:00",
    ]


def test_a_change_that_is_rolled_back_is_never_announced(
    world, roster_rows, django_capture_on_commit_callbacks
):
    before = roster_rows()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        leave(world.clinic_a_doctor, coming(MONDAY))
        raise RuntimeError("the surrounding work failed")
    assert callbacks == []
    assert heard == []
    assert roster_rows() == before


# --- what is refused -----------------------------------------------------------------------------


@pytest.fixture
def refuse(roster_rows, django_capture_on_commit_callbacks):
    """Make a change and check that it was refused, wrote nothing and told no one."""

    def refuse(change, language="en") -> InvalidInput:
        before = roster_rows()
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(InvalidInput) as caught,
            translation.override(language),
        ):
            change()
        assert callbacks == []
        assert heard == []
        assert roster_rows() == before
        assert caught.value.code == "invalid"
        assert caught.value.status == 422
        return caught.value

    return refuse


def test_a_weekly_shift_that_ends_before_it_starts_is_refused(world, refuse):
    error = refuse(lambda: weekly(world.clinic_a_doctor, world.clinic_a, MONDAY, 18, 9))
    assert str(error.message) == "A shift must end after it starts."


def test_a_weekly_shift_of_no_length_is_refused(world, refuse):
    refuse(lambda: weekly(world.clinic_a_doctor, world.clinic_a, MONDAY, 9, 9))


def test_the_same_weekly_shift_twice_is_refused(world, refuse):
    # The shared world's doctors already start at 09:00 every day.
    error = refuse(lambda: weekly(world.clinic_a_doctor, world.clinic_a, MONDAY, 9, 11))
    assert "already" in str(error.message)


def test_an_edit_that_breaks_a_rule_leaves_the_shift_as_it_was(world, refuse):
    shift = weekly(world.clinic_a_doctor, world.clinic_a, MONDAY, 19, 21)
    shift.end_time = time(8)
    refuse(lambda: weekly_shift_save(shift=shift))
    shift.refresh_from_db()
    assert shift.end_time == time(21)


def test_leave_that_ends_before_it_starts_is_refused(world, refuse):
    error = refuse(lambda: leave(world.clinic_a_doctor, coming(MONDAY), 15, 10))
    assert "after" in str(error.message)


@pytest.mark.parametrize(("start", "end"), [(10, None), (None, 12)])
def test_part_day_leave_needs_both_its_times(world, refuse, start, end):
    """Half a time once crashed every availability page of the doctor's day."""
    monday = coming(MONDAY)
    refuse(lambda: leave(world.clinic_a_doctor, monday, start, end))
    assert hours(world.clinic_a_doctor, world.clinic_a, monday) == ["09:00–12:00", "13:00–18:00"]


@pytest.mark.parametrize(("start", "end"), [(time(10), None), (None, time(12))])
def test_the_database_itself_refuses_leave_with_half_its_times(world, roster_rows, start, end):
    before = roster_rows()
    with pytest.raises(IntegrityError), transaction.atomic():
        ShiftException.objects.create(
            doctor=world.clinic_a_doctor,
            date=coming(MONDAY),
            kind=ExceptionKind.LEAVE,
            start_time=start,
            end_time=end,
        )
    assert roster_rows() == before


def test_an_extra_shift_needs_its_end(world, refuse):
    refuse(
        lambda: shift_exception_save(
            exception=ShiftException(
                doctor=world.clinic_a_doctor,
                clinic=world.clinic_a,
                date=coming(MONDAY),
                kind=ExceptionKind.EXTRA,
                start_time=time(18),
            )
        )
    )


def test_an_extra_shift_needs_a_clinic(world, refuse):
    error = refuse(lambda: extra(world.clinic_a_doctor, None, coming(MONDAY), 18, 20))
    assert "clinic" in str(error.message)


@pytest.mark.parametrize("years", [-2, 2, 36])
def test_a_date_years_away_is_refused(world, refuse, years):
    """2062 typed for 2026 is a slip, not a plan."""
    day = coming(MONDAY) + timedelta(days=365 * years)
    error = refuse(lambda: leave(world.clinic_a_doctor, day))
    assert "year" in str(error.message)


def test_leave_can_be_planned_a_year_ahead_and_recorded_a_year_back(world):
    ahead = coming(MONDAY, weeks=51)
    back = coming(MONDAY, weeks=-52)
    leave(world.clinic_a_doctor, ahead)
    leave(world.clinic_a_doctor, back)
    assert hours(world.clinic_a_doctor, world.clinic_a, ahead) == []
    assert hours(world.clinic_a_doctor, world.clinic_a, back) == []


def test_the_last_day_of_the_calendar_is_refused_not_a_crash(world, refuse):
    refuse(lambda: leave(world.clinic_a_doctor, date.max))


def test_refusals_are_explained_in_chinese(world, refuse):
    error = refuse(
        lambda: weekly(world.clinic_a_doctor, world.clinic_a, MONDAY, 18, 9), language="zh-hans"
    )
    assert str(error.message) == "班次的结束时间必须晚于开始时间。"
