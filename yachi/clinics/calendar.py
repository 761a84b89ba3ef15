"""The clinic's holiday calendar: reads and changes. Changes are audited and announce
``CalendarChanged`` so that availability derived from it is refreshed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yachi.clinics import holidays
from yachi.clinics.choices import DayKind, Weekday
from yachi.clinics.events import CalendarChanged
from yachi.clinics.models import CalendarDay, Clinic, OpeningHours
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput
from yachi.core.events import publish

SEEDED_YEARS = (2026, 2027)
# A make-up working day keeps the hours of a full weekday unless the clinic says otherwise.
DEFAULT_WORKS_AS = Weekday.MONDAY


# --- reads -----------------------------------------------------------------------------------


def calendar_days(*, clinic_id: int, first_day: date, last_day: date) -> dict[date, CalendarDay]:
    """The clinic's departures from its weekly hours between two dates, by date: one query."""
    rows = (
        CalendarDay.objects.filter(clinic_id=clinic_id, date__gte=first_day, date__lte=last_day)
        .only("date", "kind", "works_as")
        .order_by()
    )
    return {row.date: row for row in rows}


def weekday_of(day: date, calendar: dict[date, CalendarDay]) -> int | None:
    """Whose weekly hours ``day`` keeps: its own weekday's, those of the weekday a make-up
    working day works as, or None when the clinic is closed."""
    entry = calendar.get(day)
    if entry is None:
        return day.weekday()
    if entry.kind == DayKind.CLOSED:
        return None
    return entry.works_as


def opening_hours_on(*, clinic: Clinic, day: date) -> list[OpeningHours]:
    """The clinic's opening hours on one date, holidays and make-up days included."""
    weekday = weekday_of(day, calendar_days(clinic_id=clinic.pk, first_day=day, last_day=day))
    if weekday is None:
        return []
    return list(OpeningHours.objects.filter(clinic=clinic, weekday=weekday).order_by("opens"))


def year_calendar(*, clinic: Clinic, year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(clinic=clinic, date__year=year).order_by("date"))


def is_public_holiday(day: date) -> bool:
    return holidays.is_public_holiday(day)


# --- changes ---------------------------------------------------------------------------------


def _audit(*, actor, clinic: Clinic, change: str, details: dict) -> None:
    audit_record(
        action=AuditAction.CALENDAR_CHANGED,
        actor=actor,
        object_type="clinic_calendar",
        object_id=clinic.public_id,
        clinic=clinic,
        details={"change": change, **details},
    )


@transaction.atomic
def calendar_seed(*, clinic: Clinic, years=SEEDED_YEARS, actor=None) -> int:
    """Fill the clinic's calendar from the national one; dates the clinic already set
    are kept as they are. Returns how many dates were added."""
    taken = set(
        CalendarDay.objects.filter(clinic=clinic, date__year__in=list(years)).values_list(
            "date", flat=True
        )
    )
    rows = [
        CalendarDay(
            clinic=clinic,
            date=item.day,
            kind=DayKind.CLOSED if item.kind == holidays.HOLIDAY else DayKind.OPEN,
            name=item.name if item.kind == holidays.HOLIDAY else f"{item.name}调休上班",
            works_as=None if item.kind == holidays.HOLIDAY else DEFAULT_WORKS_AS,
            from_public_calendar=True,
        )
        for year in years
        for item in holidays.public_days(year)
        if item.day not in taken
    ]
    CalendarDay.objects.bulk_create(rows)
    if rows:
        _audit(
            actor=actor,
            clinic=clinic,
            change="seeded",
            details={"years": list(years), "days": len(rows)},
        )
        publish(CalendarChanged(clinic_id=clinic.pk))
    return len(rows)


@transaction.atomic
def calendar_day_save(
    *, actor, clinic: Clinic, day: date, kind: str, name: str = "", works_as: int | None = None
) -> CalendarDay:
    """Close the clinic on ``day`` or open it as a make-up working day."""
    if kind == DayKind.OPEN and works_as is None:
        works_as = DEFAULT_WORKS_AS
    if kind == DayKind.CLOSED:
        works_as = None
    entry = CalendarDay.objects.filter(clinic=clinic, date=day).first() or CalendarDay(
        clinic=clinic, date=day
    )
    entry.kind, entry.name, entry.works_as = kind, name.strip(), works_as
    try:
        entry.full_clean()
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc
    entry.save()
    _audit(
        actor=actor,
        clinic=clinic,
        change="saved",
        details={"date": day.isoformat(), "kind": kind, "works_as": works_as, "name": entry.name},
    )
    publish(CalendarChanged(clinic_id=clinic.pk, day=day))
    return entry


@transaction.atomic
def calendar_day_delete(*, actor, clinic: Clinic, day: date) -> None:
    """The clinic keeps its weekly hours on ``day`` (e.g. it opens on a public holiday)."""
    deleted, _rows = CalendarDay.objects.filter(clinic=clinic, date=day).delete()
    if not deleted:
        raise InvalidInput(_("This date is not in the clinic's calendar."))
    _audit(actor=actor, clinic=clinic, change="removed", details={"date": day.isoformat()})
    publish(CalendarChanged(clinic_id=clinic.pk, day=day))


def public_holiday_names(*, first_day: date, last_day: date) -> dict[date, str]:
    """The national days off between two dates with their festival's name (春节, 国庆节…);
    make-up working days are not among them. Years no source covers are left out."""
    names = {}
    for year in range(first_day.year, last_day.year + 1):
        try:
            days = holidays.public_days(year)
        except holidays.YearNotCovered:
            continue
        names.update(
            {
                item.day: item.name
                for item in days
                if item.kind == holidays.HOLIDAY and first_day <= item.day <= last_day
            }
        )
    return names


# --- a year's published arrangement, entered by hand -----------------------------------------


def _entered(clinic: Clinic, year: int) -> bool:
    """Whether the clinic's calendar holds days of the year's arrangement beyond the
    statutory ones of the table: a bridge day off or a make-up working day entered."""
    statutory = {item.day for item in holidays.public_days(year)}
    return any(
        day not in statutory
        for day in CalendarDay.objects.filter(
            clinic=clinic, date__year=year, from_public_calendar=True
        ).values_list("date", flat=True)
    )


def arrangement_pending(*, clinic: Clinic, year: int) -> bool:
    """True when the year's make-up working days are not known to this clinic: the table
    holds only the statutory days off (the notice is not out, or not in the table yet) and
    no manager has entered the published arrangement for the clinic."""
    if year not in holidays.covered_years() or holidays.announced(year):
        return False
    return not _entered(clinic, year)


@transaction.atomic
def arrangement_enter(
    *,
    actor,
    clinic_list: list[Clinic],
    year: int,
    days_off: list[tuple[date, str]],
    make_up: list[tuple[date, int, str]],
) -> int:
    """The State Council's arrangement for ``year`` as published, for clinics the actor
    manages: the bridge days off (closed) and the weekend days worked instead (open with
    the hours of the weekday given). Each date becomes part of the clinic's calendar from
    the public calendar (a date the clinic had set is replaced), audited per clinic; the
    forecast and the rosters read it from there. Returns how many dates were written."""
    from yachi.clinics.roles import Duty, require

    if not days_off and not make_up:
        raise InvalidInput(_("Enter at least one day off or make-up working day."))
    dates = [day for day, _name in days_off] + [day for day, _weekday, _name in make_up]
    if len(set(dates)) != len(dates):
        raise InvalidInput(_("Each date may appear only once."))
    if any(day.year != year for day in dates):
        raise InvalidInput(_("Every date must be in %(year)s.") % {"year": year})
    if any(day.weekday() < 5 for day, _weekday, _name in make_up):
        raise InvalidInput(_("A make-up working day is a Saturday or a Sunday."))
    if any(weekday not in Weekday.values or weekday >= 5 for _day, weekday, _name in make_up):
        raise InvalidInput(
            _("A make-up working day keeps the hours of a weekday, Monday to Friday.")
        )
    for clinic in clinic_list:
        require(actor, clinic, Duty.MANAGE, _("Only a manager of the clinic enters its calendar."))
    written = 0
    for clinic in clinic_list:
        rows = [(day, DayKind.CLOSED, None, name.strip()[:32]) for day, name in days_off]
        rows += [
            (
                day,
                DayKind.OPEN,
                weekday,
                (f"{name.strip()}调休上班" if name.strip() else "调休上班")[:32],
            )
            for day, weekday, name in make_up
        ]
        for day, kind, works_as, name in rows:
            CalendarDay.objects.update_or_create(
                clinic=clinic,
                date=day,
                defaults={
                    "kind": kind,
                    "works_as": works_as,
                    "name": name,
                    "from_public_calendar": True,
                },
            )
        written += len(rows)
        _audit(
            actor=actor,
            clinic=clinic,
            change="arrangement_entered",
            details={
                "year": year,
                "days_off": [day.isoformat() for day, _name in days_off],
                "make_up": [
                    {"date": day.isoformat(), "works_as": weekday} for day, weekday, _n in make_up
                ],
            },
        )
        publish(CalendarChanged(clinic_id=clinic.pk))
    return written
