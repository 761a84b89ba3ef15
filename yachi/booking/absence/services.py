"""A doctor who cannot come (sudden illness, an emergency at home): the clinic cancels
their day, tells every patient, and gives back paid deposits with compensation."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.booking.choices import Status
from yachi.booking.models import Appointment
from yachi.booking.reminders.services import link_url, local_time
from yachi.clinics import facade as clinics
from yachi.core.errors import InvalidInput, PermissionDenied
from yachi.messaging import facade as messaging

CANCELLABLE = (Status.PENDING, Status.BOOKED)


@transaction.atomic
def doctor_absence_cancel(*, actor, doctor, clinic, day: date, reason: str) -> int:
    """Cancel the doctor's remaining appointments at ``clinic`` on ``day``; returns how many."""
    from yachi.booking.services import _transition

    if not clinics.may(actor, clinic, clinics.Duty.DESK):
        raise PermissionDenied(_("The front desk or a manager cancels a doctor's day."))
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Say why, so patients understand."))
    if len(reason) > 100:
        raise InvalidInput(_("The reason is too long (100 characters at most)."))
    zone = ZoneInfo(clinic.timezone)
    start = max(datetime.combine(day, time.min, tzinfo=zone), timezone.now())
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    affected = list(
        Appointment.objects.filter(
            doctor=doctor, clinic=clinic, status__in=CANCELLABLE, start__gte=start, start__lt=end
        ).select_related("patient__account__owner", "service", "doctor", "clinic")
    )
    now = timezone.now()
    for appointment in affected:
        appointment = _transition(
            actor=actor,
            appointment=appointment,
            to_status=Status.CANCELLED,
            now=now,
            extra={"cancelled_by": actor, "cancel_reason": reason},
        )
        messaging.notify(
            recipient=appointment.patient.account.owner,
            kind="appointment_cancelled_by_clinic",
            params={
                "patient": appointment.patient.display_name,
                "service": appointment.service.display_name,
                "doctor": appointment.doctor.name,
                "time": local_time(appointment.start, clinic),
                "reason": reason,
                "phone": clinic.phone,
                "link": link_url(appointment),
            },
            happens_at=appointment.start,
            key=f"appointment_cancelled_by_clinic:{appointment.public_id}",
            object_type="appointment",
            object_id=appointment.public_id,
        )
    return len(affected)
