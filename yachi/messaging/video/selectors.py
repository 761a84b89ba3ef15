"""Reads of video rooms: the log a socket resumes from, and who joined and left when."""

from uuid import UUID

from yachi.messaging.video.models import VideoRoom, VideoRoomEvent

PAGE = 200


def _event_out(event: VideoRoomEvent) -> dict:
    return {
        "seq": event.seq,
        "type": event.kind,
        "party": event.party,
        "at": event.at.isoformat(),
    }


def room_events_after(*, appointment_id: UUID, after: int, limit: int = PAGE) -> list[dict]:
    """The room's events numbered after ``after``, in order, at most ``limit``."""
    events = VideoRoomEvent.objects.filter(
        room__appointment=appointment_id, seq__gt=after
    ).order_by("seq")[:limit]
    return [_event_out(event) for event in events]


def room_last_seq(*, appointment_id: UUID) -> int:
    found = VideoRoom.objects.filter(appointment=appointment_id).values_list("last_seq", flat=True)
    return next(iter(found), 0)


def room_log(*, appointment_id: UUID) -> list[VideoRoomEvent]:
    """Who joined and left the room and when, oldest first, for the clinic."""
    return list(
        VideoRoomEvent.objects.filter(room__appointment=appointment_id)
        .select_related("user")
        .order_by("seq")
    )


def rooms_present(*, appointment_id: UUID) -> set[str]:
    """The parties in the room now by its log: joined more often than they left."""
    balance: dict[str, int] = {}
    for party, kind in VideoRoomEvent.objects.filter(room__appointment=appointment_id).values_list(
        "party", "kind"
    ):
        balance[party] = balance.get(party, 0) + (1 if kind == "joined" else -1)
    return {party for party, count in balance.items() if count > 0}


def socket_path(appointment_id: UUID) -> str:
    return f"/ws/video/{appointment_id}/"


def room_info(room) -> dict:
    """What a party needs to enter ``room`` (an ``access.Room``): the API's answer and the
    pages' configuration."""
    from django.conf import settings

    appointment = room.appointment
    return {
        "appointment_id": appointment.id,
        "party": room.party,
        "peer_name": room.peer_name,
        "clinic_name": appointment.clinic_name,
        "service_name": appointment.service_name,
        "start": appointment.start,
        "end": appointment.end,
        "opens_at": room.opens_at,
        "closes_at": room.closes_at,
        "socket_path": socket_path(appointment.id),
        "ice_servers": [
            {
                **server,
                "urls": [server["urls"]] if isinstance(server["urls"], str) else server["urls"],
            }
            for server in settings.YACHI_ICE_SERVERS
        ],
    }
