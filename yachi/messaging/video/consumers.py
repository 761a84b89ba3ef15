"""The signalling socket of a video consultation: ``/ws/video/<appointment id>/``.

Only the two parties of the appointment (the patient's family account, the appointment's
doctor) get in, and only in its time window; anyone else is refused (4403) before a
word is sent. Joins and leaves are events of the room's log (numbered, resumable, shown
to the clinic). Offers, answers and ICE candidates are relayed to the other party as
transient messages: never stored, never sent back to the socket that sent them.
"""

import asyncio

from channels.db import database_sync_to_async
from django.db import transaction
from django.utils import timezone

from yachi.core.errors import DomainError
from yachi.core.realtime import Refused, abroadcast, group_name, publish
from yachi.core.realtime.consumers import REFUSED, ResumableConsumer
from yachi.messaging.video import selectors, services
from yachi.messaging.video.access import access_video_room

# What a browser may send for the other party, and how large each field may be.
RELAYED = {"ready", "offer", "answer", "ice", "bye"}
MAX_SESSION = 64
MAX_SDP = 12_000
MAX_CANDIDATE = 1_000


def room_group(appointment_id) -> str:
    return group_name("video", appointment_id)


def _short_text(value, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def relayed(content: dict) -> dict | None:
    """The message to pass on, rebuilt from the fields it may carry; None if it is not one."""
    kind = content.get("type")
    session = content.get("session")
    if kind not in RELAYED or not _short_text(session, MAX_SESSION):
        return None
    message = {"type": kind, "session": session}
    if kind in {"offer", "answer", "ice"}:
        if not _short_text(content.get("to"), MAX_SESSION):
            return None
        message["to"] = content["to"]
    if kind in {"offer", "answer"}:
        if not _short_text(content.get("sdp"), MAX_SDP):
            return None
        message["sdp"] = content["sdp"]
    if kind == "ice":
        candidate = content.get("candidate")
        if not isinstance(candidate, dict) or not isinstance(candidate.get("candidate"), str):
            return None
        if len(candidate["candidate"]) > MAX_CANDIDATE:
            return None
        mid = candidate.get("sdpMid")
        index = candidate.get("sdpMLineIndex")
        fragment = candidate.get("usernameFragment")
        if mid is not None and not _short_text(mid, 64):
            return None
        if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
            return None
        if fragment is not None and not _short_text(fragment, 256):
            return None
        message["candidate"] = {
            "candidate": candidate["candidate"],
            "sdpMid": mid,
            "sdpMLineIndex": index,
            "usernameFragment": fragment,
        }
    return message


class VideoRoomConsumer(ResumableConsumer):
    room = None
    _closer = None

    async def authorize(self) -> list[str]:
        try:
            self.room = await database_sync_to_async(access_video_room)(
                actor=self.user, appointment_id=self.url_kwargs.get("appointment_id")
            )
        except DomainError as exc:
            raise Refused() from exc
        return [room_group(self.room.appointment.id)]

    def initial_seq(self) -> int:
        return selectors.room_last_seq(appointment_id=self.room.appointment.id)

    def events_after(self, after: int) -> list[dict]:
        return selectors.room_events_after(appointment_id=self.room.appointment.id, after=after)

    async def connect(self):
        await super().connect()
        if not self.groups_joined:
            return  # refused
        await database_sync_to_async(self._record)(services.room_join)
        self._closer = asyncio.ensure_future(self._close_when_over())

    async def disconnect(self, code):
        if self._closer is not None:
            self._closer.cancel()
        await super().disconnect(code)
        if self.groups_joined and self.room is not None:
            await database_sync_to_async(self._record)(services.room_leave)

    def _record(self, write) -> None:
        write(actor=self.user, room=self.room)
        group = room_group(self.room.appointment.id)
        transaction.on_commit(lambda: publish(group))

    async def _close_when_over(self):
        """At the window's end the room closes: both sockets are told, then closed."""
        left = (self.room.closes_at - timezone.now()).total_seconds()
        await asyncio.sleep(max(left, 0))
        await self.send_json({"type": "room_closed"})
        await self.close(code=REFUSED)

    async def on_message(self, content: dict) -> None:
        message = relayed(content)
        if message is None:
            await self.send_json({"type": "error", "code": "bad_message"})
            return
        message["party"] = self.room.party
        await abroadcast(room_group(self.room.appointment.id), message, sender=self.channel_name)
