"""The only way a request or a socket reaches a video room: the two parties of that
booked appointment, in its time window (ADR 0045).

"Not yours" and "does not exist" give the same answer. A party outside the window, or
of an appointment that is not a video consultation, learns why (409), never more.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.messaging.video.choices import Party
from yachi.messaging.video.errors import Ended, NotVideo, TooEarly
from yachi.messaging.video.rooms import VideoAppointment, video_appointment


@dataclass(frozen=True)
class Room:
    appointment: VideoAppointment
    party: str  # ``Party``: who the caller is in it
    opens_at: datetime
    closes_at: datetime

    @property
    def peer_name(self) -> str:
        """The other party's name, as the caller sees it."""
        if self.party == Party.PATIENT:
            return self.appointment.doctor_name
        return self.appointment.patient_name


def window(appointment: VideoAppointment) -> tuple[datetime, datetime]:
    """When the room opens (``YACHI_VIDEO_OPENS_MINUTES`` before the start) and closes
    (``YACHI_VIDEO_CLOSES_MINUTES`` after the end)."""
    return (
        appointment.start - timedelta(minutes=settings.YACHI_VIDEO_OPENS_MINUTES),
        appointment.end + timedelta(minutes=settings.YACHI_VIDEO_CLOSES_MINUTES),
    )


def _not_found() -> NotFound:
    return NotFound(_("Appointment not found."), code="appointment_not_found")


def party_of(*, actor, appointment: VideoAppointment) -> str | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if actor.is_patient and actor.pk == appointment.patient_user_id:
        return Party.PATIENT
    if not actor.is_patient and appointment.doctor_user_id == actor.pk:
        return Party.DOCTOR
    return None


def room_of(*, actor, appointment_id) -> Room:
    """The room of an appointment the caller is a party to, whatever the time and kind
    (the pages show why it cannot be entered); "not found" for anyone else."""
    public_id = as_public_id(appointment_id)
    if public_id is None:
        raise _not_found()
    appointment = video_appointment(public_id)
    if appointment is None:
        raise _not_found()
    party = party_of(actor=actor, appointment=appointment)
    if party is None:
        raise _not_found()
    opens_at, closes_at = window(appointment)
    return Room(appointment=appointment, party=party, opens_at=opens_at, closes_at=closes_at)


def check_open(room: Room, *, now: datetime | None = None) -> None:
    """Raise why the room cannot be entered now: not a video consultation, too early,
    or over (ended, cancelled, missed)."""
    now = now or timezone.now()
    appointment = room.appointment
    if not appointment.is_video:
        raise NotVideo()
    if not appointment.is_active or now >= room.closes_at:
        raise Ended()
    if now < room.opens_at:
        local = room.opens_at.astimezone(ZoneInfo(appointment.timezone))
        raise TooEarly(
            _("The video consultation opens at %(time)s, %(minutes)s minutes before it starts.")
            % {
                "time": formats.date_format(local, "SHORT_DATETIME_FORMAT"),
                "minutes": settings.YACHI_VIDEO_OPENS_MINUTES,
            },
            opens_at=room.opens_at.isoformat(),
        )


def access_video_room(*, actor, appointment_id, now: datetime | None = None) -> Room:
    """The room, open now, of an appointment the caller is a party to."""
    room = room_of(actor=actor, appointment_id=appointment_id)
    check_open(room, now=now)
    return room
