"""Which occurrences a rule has on a day: the visits (or birthdays) whose day to act has
come, within the catch-up window, each named by a key that stays the same on every run.

Reads are in bulk: one read of the visits in question, one of the bookings after them.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from yachi.booking import facade as booking
from yachi.crm.playbook.choices import CATCH_UP_DAYS, Trigger
from yachi.crm.segments.scope import Scope

NOT_BOOKINGS = (booking.AppointmentStatus.CANCELLED,)


@dataclass(frozen=True)
class Occurrence:
    patient_id: int
    key: str
    due_on: date
    visit_on: date | None = None
    service_code: str = ""


def _due(visit_on: date, rule, today: date) -> tuple[date, int] | None:
    """The latest day to act for this visit that has come, and which repeat it is."""
    first = visit_on + timedelta(days=rule.days_after)
    if first > today:
        return None
    repeat = 0
    if rule.repeat_days:
        repeat = (today - first).days // rule.repeat_days
    due = first + timedelta(days=repeat * rule.repeat_days)
    if due < today - timedelta(days=CATCH_UP_DAYS):
        return None
    return due, repeat


def _after_service(rule, scope: Scope) -> list[Occurrence]:
    today = scope.today
    start_from = None
    if not rule.repeat_days:
        start_from = scope.day_start(today - timedelta(days=rule.days_after + CATCH_UP_DAYS))
    visits = booking.visit_rows(
        clinic_ids={rule.clinic_id},
        service_codes=rule.service_codes,
        statuses=(booking.AppointmentStatus.COMPLETED,),
        start_from=start_from,
        start_before=scope.day_start(today - timedelta(days=rule.days_after) + timedelta(days=1)),
    )
    later: dict[int, list] = {}
    if rule.none_booked_since and visits:
        for row in booking.visit_rows(
            patient_ids={v.patient_id for v in visits},
            service_codes=rule.service_codes,
            start_from=visits[0].start,
        ):
            if row.status not in NOT_BOOKINGS:
                later.setdefault(row.patient_id, []).append(row.start)
    found = []
    for visit in visits:
        if any(start > visit.start for start in later.get(visit.patient_id, ())):
            continue  # booked (or had) the treatment again since
        visit_on = visit.start.astimezone(scope.zone).date()
        due = _due(visit_on, rule, today)
        if due is None:
            continue
        key = f"visit:{visit.public_id}" + (f":{due[1]}" if rule.repeat_days else "")
        found.append(Occurrence(visit.patient_id, key, due[0], visit_on, visit.service_code))
    return found


def _birthday_in(year: int, born: date) -> date:
    if born.month == 2 and born.day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    return born.replace(year=year)


def _birthdays(rule, scope: Scope) -> list[Occurrence]:
    """The birthdays of the last days of those whose last visit was at this clinic (so a
    patient of two clinics is greeted once)."""
    today = scope.today
    found = []
    for pk, person in scope.people.items():
        last = scope.last_visits.get(pk)
        if person.birth_date is None or last is None or last[1] != rule.clinic_id:
            continue
        for year in {today.year, (today - timedelta(days=CATCH_UP_DAYS)).year}:
            day = _birthday_in(year, person.birth_date)
            if today - timedelta(days=CATCH_UP_DAYS) <= day <= today:
                found.append(Occurrence(pk, f"birthday:{year}", day))
    return found


def occurrences(rule, scope: Scope) -> list[Occurrence]:
    if rule.trigger == Trigger.BIRTHDAY:
        return _birthdays(rule, scope)
    return _after_service(rule, scope)


def upcoming_booked(patient_ids, *, now) -> set[int]:
    """Who of these has an appointment still to come."""
    return {
        row.patient_id
        for row in booking.visit_rows(
            patient_ids=patient_ids,
            statuses=(booking.AppointmentStatus.PENDING, booking.AppointmentStatus.BOOKED),
            start_from=now,
        )
    }
