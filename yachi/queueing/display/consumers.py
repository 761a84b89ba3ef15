"""The display's socket, ``/ws/displays/<clinic id>/?token=<display token>``: the
clinic's queue log, every doctor's queue of it, for one waiting-room television.

A display token is not a user's token: the socket's ``user`` is None and the token is
read from ``raw_token``. A revoked token opens no socket; a socket open when its token
is revoked is told so (``display_revoked``) through the token's own group, and the
board page closes it.
"""

from channels.db import database_sync_to_async

from yachi.core.models import as_public_id
from yachi.core.realtime import Refused
from yachi.core.realtime.consumers import ResumableConsumer
from yachi.queueing import groups, log
from yachi.queueing.display.access import display_for_socket
from yachi.queueing.display.groups import display_group


class DisplayConsumer(ResumableConsumer):
    async def authorize(self) -> list[str]:
        # One trip to the database thread for both the token and where the socket starts:
        # every socket of a process shares that thread.
        found = await database_sync_to_async(self._token_and_start)()
        if found is None:
            raise Refused()
        token, self._start = found
        self.clinic_pk = token.clinic_id
        return [groups.clinic_group(token.clinic_public_id), display_group(token.token_public_id)]

    def _token_and_start(self):
        token = display_for_socket(self.raw_token)
        if token is None or token.clinic_public_id != as_public_id(
            self.url_kwargs.get("clinic_id")
        ):
            return None
        return token, log.last_seq(token.clinic_id)

    def events_after(self, after: int) -> list[dict]:
        return log.events_after(self.clinic_pk, after)

    def initial_seq(self) -> int:
        return self._start
