"""Small helpers the roster tests share: near dates and readable hours."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from yachi.rostering.choices import ExceptionKind
from yachi.rostering.models import ShiftException, WeeklyShift
from yachi.rostering.selectors import working_intervals
from yachi.rostering.services import shift_exception_save, weekly_shift_save

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY, TUESDAY, WEDNESDAY = 0, 1, 2


def coming(weekday: int, *, weeks: int = 0) -> date:
    """The next such weekday after today in Shanghai, ``weeks`` later: near enough that
    the roster accepts changes to it, whenever the tests run."""
    today = datetime.now(SHANGHAI).date()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7, weeks=weeks)


def hours(doctor, clinic, day: date, **kwargs) -> list[str]:
    """The doctor's working time at ``clinic`` on ``day``, as the front desk reads it."""
    spans = working_intervals(
        doctor_ids=[doctor.pk],
        clinic_id=clinic.pk,
        zone=ZoneInfo(clinic.timezone),
        first_day=day,
        last_day=day,
        **kwargs,
    )[(doctor.pk, day)]
    return [f"{start:%H:%M}–{end:%H:%M}" for start, end in spans]


def weekly(doctor, clinic, weekday: int, start: int, end: int, **fields) -> WeeklyShift:
    return weekly_shift_save(
        shift=WeeklyShift(
            doctor=doctor,
            clinic=clinic,
            weekday=weekday,
            start_time=time(start),
            end_time=time(end),
            **fields,
        )
    )


def leave(doctor, day: date, start: int | None = None, end: int | None = None, clinic=None):
    return shift_exception_save(
        exception=ShiftException(
            doctor=doctor,
            clinic=clinic,
            date=day,
            kind=ExceptionKind.LEAVE,
            start_time=None if start is None else time(start),
            end_time=None if end is None else time(end),
        )
    )


def extra(doctor, clinic, day: date, start: int, end: int) -> ShiftException:
    return shift_exception_save(
        exception=ShiftException(
            doctor=doctor,
            clinic=clinic,
            date=day,
            kind=ExceptionKind.EXTRA,
            start_time=time(start),
            end_time=time(end),
        )
    )
