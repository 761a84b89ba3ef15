"""Clinic policy questions that screens ask before offering a button."""

from datetime import datetime, timedelta

from django.utils import timezone

from yachi.booking.choices import Status


def patient_may_change(appointment, now: datetime | None = None) -> bool:
    """Whether the patient may still cancel or reschedule online."""
    now = now or timezone.now()
    cutoff = timedelta(hours=appointment.clinic.cancel_cutoff_hours)
    return (
        appointment.status in (Status.PENDING, Status.BOOKED) and appointment.start - cutoff >= now
    )


def patient_may_reschedule(appointment, now: datetime | None = None) -> bool:
    return (
        patient_may_change(appointment, now)
        and appointment.reschedule_count < appointment.clinic.max_reschedules
    )
