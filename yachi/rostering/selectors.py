from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from yachi.clinics import facade as clinics
from yachi.core.intervals import Interval, merge, subtract
from yachi.rostering.choices import ExceptionKind, ShiftKind
from yachi.rostering.models import PublishedDay, ShiftException, WeeklyShift


def _span(day: date, start, end, zone: ZoneInfo) -> Interval:
    return (
        datetime.combine(day, start, tzinfo=zone),
        datetime.combine(day, end, tzinfo=zone),
    )


def _published(doctor_ids, clinic_id, zone, first_day, last_day, *, for_patients: bool):
    """The published shifts in the window, and the dates a published roster covers: one
    query (the days, each with its shifts joined)."""
    rows = PublishedDay.objects.filter(
        clinic_id=clinic_id, date__gte=first_day, date__lte=last_day
    ).values_list(
        "date",
        "shifts__doctor_id",
        "shifts__start_time",
        "shifts__end_time",
        "shifts__emergency_minutes",
    )
    wanted = set(doctor_ids)
    days: set[date] = set()
    spans: dict[tuple[int, date], list[Interval]] = defaultdict(list)
    for day, doctor_id, start, end, emergency in rows:
        days.add(day)
        if doctor_id not in wanted:
            continue  # another doctor's shift, or a day with none
        low, high = _span(day, start, end, zone)
        if for_patients and emergency:
            high = max(low, high - timedelta(minutes=emergency))
        if high > low:
            spans[(doctor_id, day)].append((low, high))
    return spans, days


def working_intervals(
    *,
    doctor_ids: Iterable[int],
    clinic_id: int,
    zone: ZoneInfo,
    first_day: date,
    last_day: date,
    on_call: bool = False,
    for_patients: bool = False,
) -> dict[tuple[int, date], list[Interval]]:
    """Bookable working time of each doctor at one clinic, per local date; with
    ``on_call``, all the time they are on duty (emergencies are seen then too).

    The weekly template plus extra shifts, minus leave (leave without a clinic counts
    at every clinic), on the days the clinic's calendar keeps open: nothing on a day it
    is closed, the template of another weekday on a make-up working day. On a date whose
    roster was published from a proposal, that roster's shifts replace the template;
    ``for_patients`` leaves out their emergency buffer (kept for staff and emergency
    dispatch). Four queries whatever the number of doctors and days.
    """
    calendar = clinics.calendar_days(clinic_id=clinic_id, first_day=first_day, last_day=last_day)
    doctor_ids = list(doctor_ids)
    weekly: dict[tuple[int, int], list] = defaultdict(list)
    # Unordered (the interval arithmetic sorts): the model's ordering joins the doctor.
    shifts = (
        WeeklyShift.objects.filter(doctor_id__in=doctor_ids, clinic_id=clinic_id)
        .only("doctor_id", "weekday", "start_time", "end_time", "kind")
        .order_by()
    )
    if last_day - first_day < timedelta(days=6):
        # Fewer days than a week (a booking's one day): only the weekdays they keep.
        weekdays, day = set(), first_day
        while day <= last_day:
            weekdays.add(clinics.weekday_of(day, calendar))
            day += timedelta(days=1)
        shifts = shifts.filter(weekday__in=weekdays - {None})
    if not on_call:
        shifts = shifts.filter(kind=ShiftKind.REGULAR)
    for shift in shifts:
        weekly[(shift.doctor_id, shift.weekday)].append(shift)
    extras: dict[tuple[int, date], list[Interval]] = defaultdict(list)
    leaves: dict[tuple[int, date], list[Interval]] = defaultdict(list)
    exceptions = (
        ShiftException.objects.filter(
            Q(clinic_id=clinic_id) | Q(clinic__isnull=True),
            doctor_id__in=doctor_ids,
            date__gte=first_day,
            date__lte=last_day,
        )
        .only("doctor_id", "clinic_id", "date", "kind", "start_time", "end_time")
        .order_by()
    )
    for item in exceptions:
        key = (item.doctor_id, item.date)
        if item.kind == ExceptionKind.EXTRA:
            if item.clinic_id == clinic_id:
                extras[key].append(_span(item.date, item.start_time, item.end_time, zone))
        elif item.start_time is None:
            whole_day = datetime.combine(item.date, datetime.min.time(), tzinfo=zone)
            leaves[key].append((whole_day, whole_day + timedelta(days=1)))
        else:
            leaves[key].append(_span(item.date, item.start_time, item.end_time, zone))

    published, published_days = _published(
        doctor_ids, clinic_id, zone, first_day, last_day, for_patients=for_patients
    )
    result: dict[tuple[int, date], list[Interval]] = {}
    day = first_day
    while day <= last_day:
        weekday = clinics.weekday_of(day, calendar)
        for doctor_id in doctor_ids:
            key = (doctor_id, day)
            if weekday is None:  # the clinic is closed
                result[key] = []
                continue
            if day in published_days:
                # The published roster's clinic hours, and on-call time kept from the template.
                regular = published.get(key, []) + [
                    _span(day, s.start_time, s.end_time, zone)
                    for s in weekly.get((doctor_id, weekday), [])
                    if s.kind == ShiftKind.ON_CALL
                ]
            else:
                regular = [
                    _span(day, s.start_time, s.end_time, zone)
                    for s in weekly.get((doctor_id, weekday), [])
                ]
            result[key] = subtract(merge(regular + extras.get(key, [])), leaves.get(key, []))
        day += timedelta(days=1)
    return result
