"""The base of every socket that follows a log (ADR 0042)."""

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from yachi.core.realtime import Refused

# A socket closed for lack of rights: an application code in the 4000s, like HTTP's 403.
REFUSED = 4403
PAGE = 200

log = logging.getLogger(__name__)


class ResumableConsumer(AsyncJsonWebsocketConsumer):
    """A socket that sends its log's events in order, each once, and resumes after a drop.

    A subclass defines ``authorize`` (the groups to join, or raise ``Refused``),
    ``events_after`` (the logged events after a sequence, oldest first, at most ``PAGE``)
    and ``initial_seq`` (where a new socket starts: usually the log's last sequence now),
    and may define ``on_message`` for its own client messages.

    Whoever opened the socket is asked again at every poll: when the scope carries
    ``yachi_still_valid`` (a function the server's socket middleware puts there) and it
    answers false — the token revoked, the session ended — the socket is closed with
    ``REFUSED`` within ``YACHI_REALTIME_POLL_SECONDS``.
    """

    groups_joined: list[str] = []

    async def connect(self):
        self.user = self.scope.get("user")
        if self.user is not None and not self.user.is_authenticated:
            self.user = None
        self.raw_token = self.scope.get("yachi_token")
        self.url_kwargs = self.scope["url_route"]["kwargs"]
        self.last_seq = 0
        self._flushing = asyncio.Lock()
        self._ticker = None
        try:
            groups = await self.authorize()
            self.last_seq = await database_sync_to_async(self.initial_seq)()
        except Refused:
            # Accepted first so that the client sees the code; a refusal at the handshake
            # reaches a browser as a bare failure.
            await self.accept()
            await self.close(code=REFUSED)
            return
        self.groups_joined = list(groups)
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        self._ticker = asyncio.ensure_future(self._tick())

    async def disconnect(self, code):
        if self._ticker is not None:
            self._ticker.cancel()
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    # --- what a subclass defines -------------------------------------------------------

    async def authorize(self) -> list[str]:
        raise Refused()

    def initial_seq(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must say where a new socket starts")

    def events_after(self, after: int) -> list[dict]:
        raise NotImplementedError(f"{type(self).__name__} must read its log")

    async def on_message(self, content: dict) -> None:
        await self.send_json({"type": "error", "code": "unknown_type"})

    # --- the protocol ------------------------------------------------------------------

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "code": "bad_message"})
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "resume":
            after = content.get("after")
            if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after < 2**62:
                await self.send_json({"type": "error", "code": "bad_resume"})
                return
            async with self._flushing:
                self.last_seq = after
            await self.flush()
        else:
            await self.on_message(content)

    async def decode_json(self, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None or len(text_data) > settings.YACHI_REALTIME_MAX_MESSAGE:
            await self.send_json({"type": "error", "code": "bad_message"})
            return
        await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)

    async def flush(self) -> None:
        """Send what the log holds after the last sequence sent, in order, once."""
        async with self._flushing:
            while True:
                events = await database_sync_to_async(self.events_after)(self.last_seq)
                for event in events:
                    if event["seq"] > self.last_seq:
                        await self.send_json(event)
                        self.last_seq = event["seq"]
                if len(events) < PAGE:
                    return

    async def _tick(self):
        still_valid = self.scope.get("yachi_still_valid")
        while True:
            await asyncio.sleep(settings.YACHI_REALTIME_POLL_SECONDS)
            try:
                if still_valid is not None and not await database_sync_to_async(still_valid)():
                    await self.close(code=REFUSED)
                    return
                await self.flush()
            except Exception:  # the database away for a moment: the next tick tries again
                log.warning("realtime: a poll of %s failed", type(self).__name__, exc_info=True)

    # --- the layer's messages ----------------------------------------------------------

    async def realtime_wake(self, message):
        await self.flush()

    async def realtime_transient(self, message):
        if message.get("sender") != self.channel_name:
            await self.send_json(message["message"])
