"""What other contexts (and the composition root) may use of queueing.

For the waiting-room display (ADR 0043): ``clinic_events_after`` (the clinic's log after
a sequence number, in order), ``clinic_last_seq``, the group names its sockets join
(``clinic_group``, ``queue_group``, ``ticket_group``) and ``clinic_board`` (the tickets
called with their rooms, and who is next in each doctor's queue; masked names only).
"""

from datetime import date

from yachi.queueing import groups, log, selectors
from yachi.queueing.poster import local_day
from yachi.queueing.reports import Wait, waits_of_clinics


def clinic_events_after(clinic_id: int, after: int, *, limit: int = log.PAGE) -> list[dict]:
    """The clinic's queue events with ``seq > after`` (``clinic_id``: its key), in order."""
    return log.events_after(clinic_id, after, limit=limit)


def clinic_last_seq(clinic_id: int) -> int:
    return log.last_seq(clinic_id)


def clinic_board(*, clinic, day: date | None = None) -> dict:
    return selectors.board(clinic=clinic, day=day or local_day(clinic))


clinic_group = groups.clinic_group
queue_group = groups.queue_group
ticket_group = groups.ticket_group

__all__ = [
    "Wait",
    "clinic_board",
    "clinic_events_after",
    "clinic_group",
    "clinic_last_seq",
    "queue_group",
    "ticket_group",
    "waits_of_clinics",
]
