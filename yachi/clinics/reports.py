"""What the managers' dashboards read of clinics (CRM, ADR 0053): several clinics'
calendars, opening time and chairs, and the names of what the figures are about, each
in one query whatever the number of clinics and days."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from yachi.clinics.calendar import weekday_of
from yachi.clinics.models import CalendarDay, Chair, Clinic, Doctor, OpeningHours, Service


def calendar_days_of_clinics(
    *, clinic_ids: Iterable[int], first_day: date, last_day: date
) -> dict[int, dict[date, CalendarDay]]:
    """Each clinic's departures from its weekly hours between two dates: one query."""
    found: dict[int, dict[date, CalendarDay]] = defaultdict(dict)
    for row in (
        CalendarDay.objects.filter(
            clinic_id__in=list(clinic_ids), date__gte=first_day, date__lte=last_day
        )
        .only("clinic_id", "date", "kind", "works_as")
        .order_by()
    ):
        found[row.clinic_id][row.date] = row
    return found


def _minutes(opens, closes) -> int:
    day = date(2000, 1, 1)
    return int((datetime.combine(day, closes) - datetime.combine(day, opens)).total_seconds() // 60)


def chair_minutes_of_clinics(
    *, clinic_ids: Iterable[int], first_day: date, last_day: date, calendars=None
) -> dict[int, int]:
    """Each clinic's chair time in minutes from ``first_day`` to ``last_day``: the minutes
    it is open on each day (its calendar's closures and make-up days counted) times its
    chairs in service. Three queries, or two with ``calendars`` already read."""
    clinic_ids = list(clinic_ids)
    if calendars is None:
        calendars = calendar_days_of_clinics(
            clinic_ids=clinic_ids, first_day=first_day, last_day=last_day
        )
    weekly: dict[tuple[int, int], int] = defaultdict(int)
    for clinic_id, weekday, opens, closes in OpeningHours.objects.filter(
        clinic_id__in=clinic_ids
    ).values_list("clinic_id", "weekday", "opens", "closes"):
        weekly[(clinic_id, weekday)] += _minutes(opens, closes)
    chairs: dict[int, int] = defaultdict(int)
    for (clinic_id,) in Chair.objects.filter(clinic_id__in=clinic_ids, is_active=True).values_list(
        "clinic_id"
    ):
        chairs[clinic_id] += 1
    result = {}
    for clinic_id in clinic_ids:
        calendar, day, open_minutes = calendars.get(clinic_id, {}), first_day, 0
        while day <= last_day:
            weekday = weekday_of(day, calendar)
            if weekday is not None:
                open_minutes += weekly.get((clinic_id, weekday), 0)
            day += timedelta(days=1)
        result[clinic_id] = open_minutes * chairs.get(clinic_id, 0)
    return result


def names_of(
    *, clinic_ids: Iterable[int] = (), doctor_ids: Iterable[int] = (), service_clinic_ids=()
) -> dict[str, dict]:
    """Display names: ``clinics`` and ``doctors`` by primary key (with their public ids),
    ``services`` by code (the first clinic's name for a code). Three queries."""
    clinics = {
        c.pk: (str(c.public_id), c.display_name)
        for c in Clinic.objects.filter(pk__in=list(clinic_ids)).only(
            "pk", "public_id", "name", "name_en"
        )
    }
    doctors = {
        pk: (str(public_id), name)
        for pk, public_id, name in Doctor.objects.filter(pk__in=list(doctor_ids))
        .order_by()
        .values_list("pk", "public_id", "name")
    }
    services: dict[str, str] = {}
    for service in Service.objects.filter(clinic_id__in=list(service_clinic_ids)).only(
        "code", "name", "name_en"
    ):
        services.setdefault(service.code, service.display_name)
    return {"clinics": clinics, "doctors": doctors, "services": services}
