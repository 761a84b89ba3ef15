"""``/ws/conversations/<id>/``: a conversation's live side.

New messages are the logged events, ``{"type": "message", "seq": N, "message": {…}}``,
read from the conversation's own messages after the last sequence number the socket
sent (``resume``); ``typing`` and ``read`` are transient messages to the other sockets of
the conversation. Only the family account and the clinic's staff get in; anyone else's
socket is closed with 4403, and a staff member's socket is a read of the conversation
in the audit trail.
"""

from channels.db import database_sync_to_async

from yachi.core.errors import DomainError
from yachi.core.realtime import Refused, abroadcast
from yachi.core.realtime.consumers import ResumableConsumer
from yachi.messaging.chat import live, selectors, services
from yachi.messaging.chat.access import access_conversation_by_id, side_of
from yachi.messaging.chat.models import Conversation


class ConversationConsumer(ResumableConsumer):
    async def authorize(self) -> list[str]:
        conversation = await database_sync_to_async(self._conversation)()
        self.conversation_pk = conversation.pk
        self.side = str(side_of(self.user))
        self.group = live.group_of(conversation)
        return [self.group]

    def _conversation(self) -> Conversation:
        if self.user is None:
            raise Refused()
        try:
            conversation = access_conversation_by_id(
                actor=self.user, conversation_id=self.url_kwargs.get("conversation_id")
            )
        except DomainError:
            raise Refused() from None
        selectors.audit_staff_read(actor=self.user, conversation=conversation, how="socket")
        return conversation

    def initial_seq(self) -> int:
        return Conversation.objects.filter(pk=self.conversation_pk).values_list(
            "last_seq", flat=True
        )[0]

    def events_after(self, after: int) -> list[dict]:
        messages = selectors.log_after(conversation_pk=self.conversation_pk, after=after)
        return [
            {"type": "message", "seq": shown["seq"], "message": shown}
            for shown in selectors.messages_shown(messages)
        ]

    async def on_message(self, content: dict) -> None:
        kind = content.get("type")
        if kind == "typing":
            await abroadcast(
                self.group,
                {"type": "typing", "side": self.side, "typing": bool(content.get("typing", True))},
                sender=self.channel_name,
            )
        elif kind == "read":
            seq = content.get("seq")
            if seq is not None and (not isinstance(seq, int) or isinstance(seq, bool) or seq < 0):
                await self.send_json({"type": "error", "code": "invalid_seq"})
                return
            await database_sync_to_async(self._read)(seq)
        else:
            await self.send_json({"type": "error", "code": "unknown_type"})

    def _read(self, seq) -> None:
        conversation = Conversation.objects.get(pk=self.conversation_pk)
        services.conversation_read(actor=self.user, conversation=conversation, seq=seq)
