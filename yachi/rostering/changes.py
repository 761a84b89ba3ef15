"""Roster changes made by managers in the console: each first looks at the booked
visits it would leave without their doctor, and is refused until the manager confirms
it (the front desk then moves those patients). Every change is audited."""

from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, PermissionDenied
from yachi.rostering import services
from yachi.rostering.models import ShiftException, WeeklyShift
from yachi.rostering.selectors import working_intervals

_booked_visits: list[Callable] = []


def register_booked_visits(function: Callable) -> None:
    """Booking tells which visits are booked: ``function(doctor_ids=, clinic_id=, start=)``."""
    if function not in _booked_visits:
        _booked_visits.append(function)


class OrphansAppointments(Conflict):
    code = "orphans_appointments"

    def __init__(self, visits):
        super().__init__(
            _("This change leaves %(count)s booked visits without their doctor.")
            % {"count": len(visits)}
        )
        self.visits = visits


def require_manager(actor, clinic) -> None:
    """Rosters and the calendar of a clinic are kept by those who manage it."""
    if not clinics.may_manage(actor, clinic):
        raise PermissionDenied(_("Rosters are edited by clinic managers."), code="managers_only")


def _covered(visit, spans) -> bool:
    return any(start <= visit.start and visit.end <= end for start, end in spans)


def _hours(doctor_id: int, clinic, first: date, last: date):
    return working_intervals(
        doctor_ids=[doctor_id],
        clinic_id=clinic.pk,
        zone=ZoneInfo(clinic.timezone),
        first_day=first,
        last_day=last,
        on_call=True,
    )


def touched_visits(*, clinic, doctor_id: int, simulate: Callable) -> list:
    """The coming visits of the doctor at the clinic that are within working time now
    and would not be after ``simulate`` (which writes the change; it is rolled back)."""
    visits = [
        visit
        for function in _booked_visits
        for visit in function(doctor_ids=[doctor_id], clinic_id=clinic.pk, start=timezone.now())
    ]
    if not visits:
        return []
    zone = ZoneInfo(clinic.timezone)
    days = [visit.start.astimezone(zone).date() for visit in visits]
    first, last = min(days), max(days) + timedelta(days=1)
    before = _hours(doctor_id, clinic, first, last)
    with transaction.atomic():
        savepoint = transaction.savepoint()
        try:
            simulate()
            after = _hours(doctor_id, clinic, first, last)
        finally:
            transaction.savepoint_rollback(savepoint)
    return [
        visit
        for visit, day in zip(visits, days, strict=True)
        if _covered(visit, before[(doctor_id, day)])
        and not _covered(visit, after[(doctor_id, day)])
    ]


def _guarded(*, actor, clinic, doctor_id, change: str, simulate, apply, details, confirm):
    require_manager(actor, clinic)
    touched = touched_visits(clinic=clinic, doctor_id=doctor_id, simulate=simulate)
    if touched and not confirm:
        raise OrphansAppointments(touched)
    with transaction.atomic():
        result = apply()
        audit_record(
            action=AuditAction.ROSTER_CHANGED,
            actor=actor,
            object_type="roster",
            object_id=details.get("id", ""),
            clinic=clinic,
            details={"change": change, "visits_touched": len(touched), **details},
        )
    return result


def _describe(row) -> dict:
    return {
        "id": str(row.public_id),
        "doctor": row.doctor.name,
        "start": f"{row.start_time:%H:%M}" if row.start_time else "",
        "end": f"{row.end_time:%H:%M}" if row.end_time else "",
    }


def weekly_shift_add(*, actor, clinic, shift: WeeklyShift, confirm: bool = False) -> WeeklyShift:
    # Adding time touches no one; still the manager's right and the audit.
    return _guarded(
        actor=actor,
        clinic=clinic,
        doctor_id=shift.doctor_id,
        change="weekly_shift_added",
        simulate=lambda: None,
        apply=lambda: services.weekly_shift_save(shift=shift),
        details={**_describe(shift), "weekday": shift.weekday},
        confirm=confirm,
    )


def weekly_shift_remove(*, actor, clinic, shift: WeeklyShift, confirm: bool = False) -> None:
    details = {**_describe(shift), "weekday": shift.weekday}
    _guarded(
        actor=actor,
        clinic=clinic,
        doctor_id=shift.doctor_id,
        change="weekly_shift_removed",
        simulate=lambda: WeeklyShift.objects.filter(pk=shift.pk).delete(),
        apply=lambda: services.weekly_shift_delete(shift=shift),
        details=details,
        confirm=confirm,
    )


def exception_add(
    *, actor, clinic, exception: ShiftException, confirm: bool = False
) -> ShiftException:
    def simulate():
        services._checked(exception)
        ShiftException.objects.bulk_create([ShiftException(**_fields(exception))])

    return _guarded(
        actor=actor,
        clinic=clinic,
        doctor_id=exception.doctor_id,
        change=f"{exception.kind}_added",
        simulate=simulate,
        apply=lambda: services.shift_exception_save(exception=exception),
        details={**_describe(exception), "date": exception.date.isoformat()},
        confirm=confirm,
    )


def exception_remove(*, actor, clinic, exception: ShiftException, confirm: bool = False) -> None:
    _guarded(
        actor=actor,
        clinic=clinic,
        doctor_id=exception.doctor_id,
        change=f"{exception.kind}_removed",
        simulate=lambda: ShiftException.objects.filter(pk=exception.pk).delete(),
        apply=lambda: services.shift_exception_delete(exception=exception),
        details={**_describe(exception), "date": exception.date.isoformat()},
        confirm=confirm,
    )


def _fields(exception: ShiftException) -> dict:
    return {
        "doctor_id": exception.doctor_id,
        "clinic_id": exception.clinic_id,
        "date": exception.date,
        "kind": exception.kind,
        "start_time": exception.start_time,
        "end_time": exception.end_time,
    }
