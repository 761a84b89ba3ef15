"""School holidays kept by a clinic's managers; each change is audited."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput, NotFound
from yachi.core.models import as_public_id
from yachi.rostering.calendar.models import LONGEST_SCHOOL_HOLIDAY_DAYS, SchoolHoliday
from yachi.rostering.changes import require_manager

# School holidays are entered for this year and the next, and kept for the last two.
REACH_DAYS = 2 * 366


def _audit(*, actor, clinic, change: str, row: SchoolHoliday) -> None:
    audit_record(
        action=AuditAction.CALENDAR_CHANGED,
        actor=actor,
        object_type="school_holiday",
        object_id=str(row.public_id),
        clinic=clinic,
        details={
            "change": change,
            "name": row.name,
            "first_day": row.first_day.isoformat(),
            "last_day": row.last_day.isoformat(),
        },
    )


@transaction.atomic
def school_holiday_add(
    *, actor, clinic, name: str, first_day: date, last_day: date
) -> SchoolHoliday:
    require_manager(actor, clinic)
    name = (name or "").strip()
    if not name or len(name) > 32:
        raise InvalidInput(_("Give the school holiday a name of up to 32 characters."))
    if last_day < first_day:
        raise InvalidInput(_("A school holiday ends on or after its first day."))
    if (last_day - first_day).days + 1 > LONGEST_SCHOOL_HOLIDAY_DAYS:
        raise InvalidInput(_("A school holiday lasts at most three months."))
    today = timezone.localdate()
    if abs((first_day - today).days) > REACH_DAYS or abs((last_day - today).days) > REACH_DAYS:
        raise InvalidInput(_("Choose dates within two years of today."))
    row = SchoolHoliday.objects.create(
        clinic=clinic, name=name, first_day=first_day, last_day=last_day
    )
    _audit(actor=actor, clinic=clinic, change="added", row=row)
    return row


@transaction.atomic
def school_holiday_remove(*, actor, clinic, holiday_id: str) -> None:
    require_manager(actor, clinic)
    row = SchoolHoliday.objects.filter(clinic=clinic, public_id=as_public_id(holiday_id)).first()
    if row is None:
        raise NotFound(_("This school holiday is not in the clinic's calendar."))
    _audit(actor=actor, clinic=clinic, change="removed", row=row)
    row.delete()
