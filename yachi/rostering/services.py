"""Changes to doctors' working time. Each one announces ``RosterChanged`` so that
whatever was derived from the roster (cached availability) is refreshed."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import InvalidInput
from yachi.core.events import publish
from yachi.rostering.choices import ExceptionKind
from yachi.rostering.events import RosterChanged
from yachi.rostering.models import ShiftException, WeeklyShift


def _checked(row: models.Model) -> None:
    """The model's rules (times in order, dates within reach), as the error callers show."""
    try:
        row.full_clean()
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc


def _closed(clinic_id: int, day) -> bool:
    calendar = clinics.calendar_days(clinic_id=clinic_id, first_day=day, last_day=day)
    return clinics.weekday_of(day, calendar) is None


@transaction.atomic
def weekly_shift_save(*, shift: WeeklyShift) -> WeeklyShift:
    _checked(shift)
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
    _checked(exception)
    if exception.kind == ExceptionKind.EXTRA and _closed(exception.clinic_id, exception.date):
        raise InvalidInput(
            _("The clinic is closed that day: open it in the clinic calendar first.")
        )
    exception.save()
    publish(RosterChanged(doctor_id=exception.doctor_id, day=day))
    return exception


@transaction.atomic
def shift_exception_delete(*, exception: ShiftException) -> None:
    doctor_id, day = exception.doctor_id, exception.date
    exception.delete()
    publish(RosterChanged(doctor_id=doctor_id, day=day))
