"""Changes to doctors' working time. Each one announces ``RosterChanged`` so that
whatever was derived from the roster (cached availability) is refreshed."""

from django.db import transaction

from yachi.core.events import publish
from yachi.rostering.events import RosterChanged
from yachi.rostering.models import ShiftException, WeeklyShift


@transaction.atomic
def weekly_shift_save(*, shift: WeeklyShift) -> WeeklyShift:
    shift.full_clean()
    shift.save()
    publish(RosterChanged(doctor_id=shift.doctor_id))
    return shift


@transaction.atomic
def weekly_shift_delete(*, shift: WeeklyShift) -> None:
    doctor_id = shift.doctor_id
    shift.delete()
    publish(RosterChanged(doctor_id=doctor_id))


@transaction.atomic
def shift_exception_save(*, exception: ShiftException) -> ShiftException:
    # An edit may have moved the exception to another date: refresh every day then.
    day = exception.date if exception.pk is None else None
    exception.full_clean()
    exception.save()
    publish(RosterChanged(doctor_id=exception.doctor_id, day=day))
    return exception


@transaction.atomic
def shift_exception_delete(*, exception: ShiftException) -> None:
    doctor_id, day = exception.doctor_id, exception.date
    exception.delete()
    publish(RosterChanged(doctor_id=doctor_id, day=day))
