"""Small helpers the roster tests share: near dates, readable hours, a booking history."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from yachi.booking.models import Appointment
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


def this_monday() -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


def forecast_history(world, weeks: int = 14) -> None:
    """Fourteen weeks until yesterday at clinic A: a cleaning every morning, a filling
    every afternoon, and on Saturdays an implant consultation too; one cancelled visit
    that does not count."""
    rows = []
    first = this_monday() - timedelta(weeks=weeks)
    for n in range((timezone.localdate() - first).days):
        day = first + timedelta(days=n)
        visits = [(world.cleaning_a, 9, 30), (world.filling_a, 14, 45)]
        if day.weekday() == 5:
            visits.append((world.implant_a, 10, 30))
        for service, hour, minutes in visits:
            rows.append(
                Appointment(
                    clinic=world.clinic_a,
                    doctor=world.clinic_a_implant_doctor,
                    service=service,
                    patient=world.parent,
                    channel="console",
                    start=_at(day, hour),
                    end=_at(day, hour) + timedelta(minutes=minutes),
                    status="completed",
                    price_fen=0,
                )
            )
    last_monday = this_monday() - timedelta(days=7)
    rows.append(
        Appointment(
            clinic=world.clinic_a,
            doctor=world.clinic_a_doctor,
            service=world.filling_a,
            patient=world.other,
            channel="console",
            start=_at(last_monday, 16),
            end=_at(last_monday, 16, 45),
            status="cancelled",
            price_fen=0,
        )
    )
    Appointment.objects.bulk_create(rows)
