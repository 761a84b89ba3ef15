"""Joining and leaving a video room: each a numbered event in the room's log, written in
one transaction; a doctor's join is audited (a staff member seeing a patient)."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yachi.compliance.facade import AuditAction, audit_record
from yachi.messaging.video.access import Room
from yachi.messaging.video.choices import Party, RoomEventKind
from yachi.messaging.video.models import VideoRoom, VideoRoomEvent


def _room_row(room: Room) -> VideoRoom:
    appointment = room.appointment
    row, _created = VideoRoom.objects.get_or_create(
        appointment=appointment.id, defaults={"clinic": appointment.clinic_id}
    )
    return row


def _append(*, row: VideoRoom, kind: str, party: str, user, now: datetime) -> VideoRoomEvent:
    # The row stays locked until the commit: the next event of the room waits and takes
    # the next number, so the log is seen in the order of its numbers.
    VideoRoom.objects.filter(pk=row.pk).update(last_seq=F("last_seq") + 1, updated_at=now)
    seq = VideoRoom.objects.filter(pk=row.pk).values_list("last_seq", flat=True).get()
    return VideoRoomEvent.objects.create(
        room=row, seq=seq, kind=kind, party=party, user=user, at=now
    )


@transaction.atomic
def room_join(*, actor, room: Room, now: datetime | None = None) -> VideoRoomEvent:
    """``actor`` entered ``room`` (checked open by the caller)."""
    now = now or timezone.now()
    event = _append(
        row=_room_row(room), kind=RoomEventKind.JOINED, party=room.party, user=actor, now=now
    )
    if room.party == Party.DOCTOR:
        audit_record(
            action=AuditAction.VIDEO_JOINED,
            actor=actor,
            object_type="appointment",
            object_id=room.appointment.id,
            clinic=room.appointment.clinic_id,
            details={"seq": event.seq},
        )
    return event


@transaction.atomic
def room_leave(*, actor, room: Room, now: datetime | None = None) -> VideoRoomEvent:
    """``actor`` left ``room`` (hung up, closed the page or lost the connection)."""
    now = now or timezone.now()
    return _append(
        row=_room_row(room), kind=RoomEventKind.LEFT, party=room.party, user=actor, now=now
    )
