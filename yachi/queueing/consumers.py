"""The queue's sockets (on the realtime base, ``core.realtime``; ADR 0043).

``/ws/queues/<queue id>/`` — staff of the clinic: every event of that queue (a transfer
is an event of both queues). ``/ws/queue-tickets/<ticket id>/`` — the ticket's owner:
the events of their own ticket as logged (``called`` with the room), and for a change
elsewhere in their line a ``position`` message with their own place and wait only, so a
phone never learns anything of the other patients. Both resume with
``{"type": "resume", "after": SEQ}`` from the clinic's durable log.
"""

from channels.db import database_sync_to_async

from yachi.core.errors import NotFound
from yachi.core.realtime import Refused
from yachi.core.realtime.consumers import ResumableConsumer
from yachi.queueing import access, groups, log
from yachi.queueing.display.access import queue_for_display
from yachi.queueing.display.groups import display_group
from yachi.queueing.events import for_ticket, touches_queue, touches_ticket


class QueueConsumer(ResumableConsumer):
    async def authorize(self) -> list[str]:
        extra = []
        try:
            self.queue = await database_sync_to_async(access.access_queue_by_id)(
                actor=self.user, queue_id=self.url_kwargs["queue_id"]
            )
        except NotFound:
            # A waiting-room display's token of the queue's clinic opens it too.
            found = await database_sync_to_async(queue_for_display)(
                queue_id=self.url_kwargs["queue_id"], secret=self.raw_token
            )
            if found is None:
                raise Refused() from None
            self.queue, display = found
            extra = [display_group(display.token_public_id)]  # told when it is revoked
        self.queue_key = str(self.queue.public_id)
        return [groups.queue_group(self.queue.public_id), *extra]

    def events_after(self, after: int) -> list[dict]:
        return log.events_matching(
            self.queue.clinic_id, after, lambda e: touches_queue(e, self.queue_key)
        )

    def initial_seq(self) -> int:
        return log.last_seq(self.queue.clinic_id)


class TicketConsumer(ResumableConsumer):
    async def authorize(self) -> list[str]:
        try:
            self.ticket = await database_sync_to_async(access.access_own_ticket_by_id)(
                actor=self.user, ticket_id=self.url_kwargs["ticket_id"]
            )
        except NotFound:
            raise Refused() from None
        self.ticket_key = str(self.ticket.public_id)
        return [groups.ticket_group(self.ticket.public_id)]

    def events_after(self, after: int) -> list[dict]:
        return [
            for_ticket(self.ticket_key, event)
            for event in log.events_matching(
                self.ticket.clinic_id, after, lambda e: touches_ticket(e, self.ticket_key)
            )
        ]

    def initial_seq(self) -> int:
        return log.last_seq(self.ticket.clinic_id)
