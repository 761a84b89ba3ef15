"""What the managers' dashboards read of the roster (CRM, ADR 0053): doctors' working
minutes at several clinics over a range of days, from the same rules as their bookable
time (``selectors.working_intervals``) in three queries whatever the number of clinics,
doctors and days."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from yachi.clinics import facade as clinics
from yachi.core.intervals import merge, subtract
from yachi.rostering.choices import ExceptionKind, ShiftKind
from yachi.rostering.models import ShiftException, WeeklyShift
from yachi.rostering.selectors import _span


def working_minutes_of_clinics(
    *,
    clinic_zones: dict[int, ZoneInfo],
    first_day: date,
    last_day: date,
    calendars: dict | None = None,
) -> dict[tuple[int, int], int]:
    """{(clinic id, doctor id): bookable working minutes from ``first_day`` to
    ``last_day``}: the weekly template plus extra shifts, minus leave, on the days each
    clinic's calendar keeps open. ``calendars``: the clinics' calendars when the caller
    has read them (``clinics.calendar_days_of_clinics``)."""
    clinic_ids = list(clinic_zones)
    if calendars is None:
        calendars = clinics.calendar_days_of_clinics(
            clinic_ids=clinic_ids, first_day=first_day, last_day=last_day
        )
    weekly: dict[tuple[int, int, int], list] = defaultdict(list)
    for shift in (
        WeeklyShift.objects.filter(clinic_id__in=clinic_ids, kind=ShiftKind.REGULAR)
        .only("clinic_id", "doctor_id", "weekday", "start_time", "end_time")
        .order_by()
    ):
        weekly[(shift.clinic_id, shift.doctor_id, shift.weekday)].append(shift)
    doctors: dict[int, set[int]] = defaultdict(set)
    for clinic_id, doctor_id, _weekday in weekly:
        doctors[clinic_id].add(doctor_id)
    extras: dict[tuple, list] = defaultdict(list)
    leaves: dict[tuple, list] = defaultdict(list)
    all_doctors = set().union(*doctors.values()) if doctors else set()
    exceptions = (
        ShiftException.objects.filter(
            Q(clinic_id__in=clinic_ids) | Q(clinic__isnull=True),
            date__gte=first_day,
            date__lte=last_day,
        )
        .filter(
            Q(doctor_id__in=all_doctors) | Q(kind=ExceptionKind.EXTRA, clinic_id__in=clinic_ids)
        )
        .only("doctor_id", "clinic_id", "date", "kind", "start_time", "end_time")
        .order_by()
    )
    for item in exceptions:
        if item.kind == ExceptionKind.EXTRA:
            zone = clinic_zones[item.clinic_id]
            doctors[item.clinic_id].add(item.doctor_id)
            extras[(item.clinic_id, item.doctor_id, item.date)].append(
                _span(item.date, item.start_time, item.end_time, zone)
            )
        else:
            # Leave without a clinic counts at every clinic.
            for clinic_id in [item.clinic_id] if item.clinic_id else clinic_ids:
                zone = clinic_zones[clinic_id]
                if item.start_time is None:
                    whole = datetime.combine(item.date, datetime.min.time(), tzinfo=zone)
                    span = (whole, whole + timedelta(days=1))
                else:
                    span = _span(item.date, item.start_time, item.end_time, zone)
                leaves[(clinic_id, item.doctor_id, item.date)].append(span)
    result: dict[tuple[int, int], int] = defaultdict(int)
    for clinic_id in clinic_ids:
        zone, calendar, day = clinic_zones[clinic_id], calendars.get(clinic_id, {}), first_day
        while day <= last_day:
            weekday = clinics.weekday_of(day, calendar)
            if weekday is not None:
                for doctor_id in doctors.get(clinic_id, ()):
                    regular = [
                        _span(day, s.start_time, s.end_time, zone)
                        for s in weekly.get((clinic_id, doctor_id, weekday), [])
                    ]
                    key = (clinic_id, doctor_id, day)
                    spans = subtract(merge(regular + extras.get(key, [])), leaves.get(key, []))
                    result[(clinic_id, doctor_id)] += sum(
                        int((b - a).total_seconds() // 60) for a, b in spans
                    )
            day += timedelta(days=1)
    return dict(result)
