"""Reminders 24 and 2 hours before a visit, with confirm and cancel links that work
without logging in: the link itself is the key, signed and short-lived."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from yachi.booking.choices import ACTIVE_STATUSES
from yachi.booking.models import Appointment
from yachi.messaging import facade as messaging

SALT = "yachi.booking.appointment-link"
LINK_MAX_AGE = timedelta(days=16)  # bookings open 14 days ahead
REMINDERS = (("24h", timedelta(hours=24)), ("2h", timedelta(hours=2)))


def local_time(moment: datetime, clinic) -> str:
    return f"{moment.astimezone(ZoneInfo(clinic.timezone)):%Y-%m-%d %H:%M}"


def link_token(appointment: Appointment) -> str:
    return signing.dumps(
        {"a": str(appointment.public_id), "s": appointment.start.isoformat()}, salt=SALT
    )


def link_url(appointment: Appointment) -> str:
    return settings.YACHI_PUBLIC_URL + reverse(
        "web:appointment_link", args=[link_token(appointment)]
    )


def read_link(token: str) -> tuple[str, str] | None:
    """``(appointment public id, start it was sent for)``, or None when forged or old."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return data["a"], data["s"]


def _params(appointment: Appointment) -> dict:
    return {
        "patient": appointment.patient.display_name,
        "name": appointment.patient.display_name,
        "service": appointment.service.display_name,
        "doctor": appointment.doctor.name,
        "clinic": appointment.clinic.display_name,
        "time": local_time(appointment.start, appointment.clinic),
        "link": link_url(appointment),
        "phone": appointment.clinic.phone,
    }


def _holder(appointment: Appointment):
    return appointment.patient.account.owner


def schedule_reminders(appointment: Appointment) -> None:
    """(Re)plan both reminders for the appointment's current start.

    A reminder whose time has passed is not sent (a booking two hours ahead has its
    confirmation); one that falls in the quiet hours moves to the evening before, and
    is dropped when that is no later than the reminder before it.
    """
    appointment = _with_recipients(Appointment.objects).get(pk=appointment.pk)
    messaging.cancel_pending(
        object_type="appointment", object_id=appointment.public_id, kinds=("appointment_reminder",)
    )
    if appointment.status not in ACTIVE_STATUSES:
        return
    messaging.notify_all(
        recipient=_holder(appointment), messages=_reminders(appointment, _params(appointment))
    )


def _with_recipients(appointments):
    return appointments.select_related("patient__account__owner", "service", "doctor", "clinic")


def _reminders(appointment: Appointment, params: dict) -> list:
    now = timezone.now()
    previous = None
    reminders = []
    for label, before in REMINDERS:
        send_at = appointment.start - before
        if send_at <= now:
            previous = send_at
            continue
        reminders.append(
            messaging.Message(
                kind="appointment_reminder",
                params=params,
                key=f"reminder-{label}:{appointment.public_id}:{appointment.start.isoformat()}",
                send_at=send_at,
                happens_at=appointment.start,
                not_before=previous,
                object_type="appointment",
                object_id=appointment.public_id,
            )
        )
        previous = send_at
    return reminders


@transaction.atomic
def plan_booking_messages(*, appointment_id: int, party: tuple[int, ...] = ()) -> bool:
    """The confirmation and both reminders of a new booking (a job, after its commit).

    The appointment's row is locked while they are written, so a cancellation waits for
    them and then drops them, and one committed before finds nothing planned here. A
    reschedule committed before has planned the reminders of the new time already: the
    same keys make asking again a no-op. All of them are asked for together, in one
    insert (``messaging.notify_all``). Returns whether anything was planned.
    """
    appointment = (
        _with_recipients(Appointment.objects)
        .select_for_update(of=("self",))
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None or appointment.status not in ACTIVE_STATUSES:
        return False
    params = _params(appointment)
    messaging.notify_all(
        recipient=_holder(appointment),
        messages=_confirmation(appointment, party=party, params=params)
        + _reminders(appointment, params),
    )
    return True


def confirm_booking_message(appointment: Appointment, party: tuple[int, ...] = ()) -> None:
    """One confirmation per booking: a family booked back to back hears once, with
    every person and the whole time they are booked for."""
    messaging.notify_all(
        recipient=_holder(appointment),
        messages=_confirmation(appointment, party=party, params=_params(appointment)),
    )


def _confirmation(appointment: Appointment, *, party: tuple[int, ...], params: dict) -> list:
    if party and appointment.pk != party[0]:
        return []
    params = dict(params)
    if len(party) > 1:
        everyone = list(
            Appointment.objects.filter(pk__in=party)
            .select_related("patient", "clinic")
            .order_by("start")
        )
        params["patient"] = params["name"] = pgettext("list separator", ", ").join(
            a.patient.display_name for a in everyone
        )
        last_end = everyone[-1].end.astimezone(ZoneInfo(appointment.clinic.timezone))
        params["time"] = f"{local_time(everyone[0].start, appointment.clinic)}–{last_end:%H:%M}"
    return [
        messaging.Message(
            kind="appointment_booked",
            params=params,
            key=f"booked:{appointment.public_id}",
            happens_at=appointment.start,
            object_type="appointment",
            object_id=appointment.public_id,
        )
    ]


def confirm_reschedule_message(appointment: Appointment, *, previous_start: datetime) -> None:
    """The new time in writing, whoever moved it (the patient or the front desk); the
    confirmation of the old time no longer holds."""
    params = {**_params(appointment), "previous": local_time(previous_start, appointment.clinic)}
    messaging.notify(
        recipient=_holder(appointment),
        kind="appointment_rescheduled",
        params=params,
        key=f"rescheduled:{appointment.public_id}:{appointment.start.isoformat()}",
        happens_at=min(previous_start, appointment.start),
        link_expires_at=appointment.start,
        object_type="appointment",
        object_id=appointment.public_id,
    )


def forget_reminders(appointment_public_id) -> None:
    """Nothing still waiting about a visit that will not take place goes out."""
    messaging.cancel_pending(
        object_type="appointment",
        object_id=appointment_public_id,
        kinds=("appointment_reminder", "appointment_booked"),
    )


EXTRA_REMINDER_BEFORE = timedelta(hours=72)


def extra_reminder_send(*, appointment_id: int, now: datetime | None = None) -> bool:
    """One more reminder, three days before the visit or now when that has passed, for an
    appointment the clinic's no-show policy found at risk (ADR 0051). Idempotent: its key
    names the appointment and its start, so asking again sends nothing more; none is sent
    within the last two hours, when the usual reminder goes out."""
    now = now or timezone.now()
    appointment = _with_recipients(Appointment.objects).filter(pk=appointment_id).first()
    if appointment is None or appointment.status not in ACTIVE_STATUSES:
        return False
    if appointment.start - now <= REMINDERS[-1][1]:
        return False
    send_at = max(now, appointment.start - EXTRA_REMINDER_BEFORE)
    messaging.notify(
        recipient=_holder(appointment),
        kind="appointment_reminder",
        params=_params(appointment),
        key=f"reminder-risk:{appointment.public_id}:{appointment.start.isoformat()}",
        send_at=send_at,
        happens_at=appointment.start,
        object_type="appointment",
        object_id=appointment.public_id,
    )
    return True
