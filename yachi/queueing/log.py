"""The ordered, durable per-clinic event log (ADR 0043).

``append`` is called inside the transaction of the change it records. It takes the
clinic's next sequence number by an ``UPDATE`` of the clinic's one ``ClinicLog`` row,
which stays locked until that transaction ends: numbers are given in the order the
changes commit, and a reader never sees a number appear later below one it already read.

The database is the log. With Redis (``REDIS_URL``), each event is also added after the
commit to a Redis stream per clinic under its own number (``XADD <seq>-1``), from which
the hundreds of screens and phones that poll and resume read without asking the database.
A read from the stream is believed only when it continues exactly where the reader
stopped (the first number is ``after + 1`` and none is missing); anything else — a stream
trimmed, lost with a restarted Redis, or missing an entry whose ``XADD`` came after a
later one and was refused (the stream is then deleted, to be started afresh) — is read
from the database instead. So Redis only ever makes a read cheaper, never different.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yachi.queueing.models import ClinicLog, QueueEvent

logger = logging.getLogger(__name__)

PAGE = 200
# Entries a clinic's stream keeps (a busy clinic's few days; older resumes read the database).
STREAM_LENGTH = 5000

_clients: dict = {}


def _redis():
    url = settings.REDIS_URL
    if not url:
        return None
    if url not in _clients:
        import redis

        pool = redis.BlockingConnectionPool.from_url(
            url, max_connections=32, timeout=2, socket_timeout=2, socket_connect_timeout=2
        )
        _clients[url] = redis.Redis(connection_pool=pool)
    return _clients[url]


def stream_key(clinic_id: int) -> str:
    return f"{settings.YACHI_REDIS_PREFIX}:queue-log:{{{clinic_id}}}"


def append(*, clinic_id: int, type: str, queue, ticket, body: dict, now=None) -> dict:
    """Number and store one event; returns it as screens receive it (with ``seq``)."""
    now = now or timezone.now()
    ClinicLog.objects.get_or_create(clinic_id=clinic_id)
    ClinicLog.objects.filter(clinic_id=clinic_id).update(last_seq=F("last_seq") + 1)
    seq = ClinicLog.objects.filter(clinic_id=clinic_id).values_list("last_seq", flat=True).get()
    event = {"seq": seq, "type": type, **body, "time": now.isoformat()}
    QueueEvent.objects.create(
        clinic_id=clinic_id,
        seq=seq,
        type=type,
        queue=queue,
        ticket=ticket,
        body=event,
        created_at=now,
    )
    transaction.on_commit(lambda: _mirror(clinic_id, event))
    return event


def _mirror(clinic_id: int, event: dict) -> None:
    import json

    client = _redis()
    if client is None:
        return
    key = stream_key(clinic_id)
    try:
        client.xadd(
            key,
            {"e": json.dumps(event, ensure_ascii=False)},
            id=f"{event['seq']}-1",
            maxlen=STREAM_LENGTH,
            approximate=True,
        )
    except Exception:
        # A later number got there first (or Redis hiccupped): the stream would miss
        # this one, so it goes; readers use the database until it starts again.
        logger.info("queue log stream %s restarted at seq %s", key, event["seq"])
        try:
            client.delete(key)
        except Exception:
            logger.warning("queue log stream %s could not be reset", key, exc_info=True)


def _from_stream(clinic_id: int, after: int, limit: int) -> list[dict] | None:
    import json

    client = _redis()
    if client is None:
        return None
    try:
        entries = client.xrange(stream_key(clinic_id), min=f"({after}-1", count=limit)
        if not entries and not client.exists(stream_key(clinic_id)):
            return None
    except Exception:
        return None
    events = [json.loads(fields[b"e"]) for _id, fields in entries]
    expected = after + 1
    for event in events:
        if event["seq"] != expected:
            return None
        expected += 1
    if not events:
        # Nothing newer in the stream: believed only if the stream reaches ``after``.
        try:
            last = client.xrevrange(stream_key(clinic_id), count=1)
        except Exception:
            return None
        if not last or int(last[0][0].split(b"-")[0]) < after:
            return None
    return events


def events_after(clinic_id: int, after: int, *, limit: int = PAGE) -> list[dict]:
    """The clinic's events with ``seq > after``, in order, at most ``limit``."""
    after = max(0, int(after))
    events = _from_stream(clinic_id, after, limit)
    if events is not None:
        return events
    return list(
        QueueEvent.objects.filter(clinic_id=clinic_id, seq__gt=after)
        .order_by("seq")
        .values_list("body", flat=True)[:limit]
    )


def last_seq(clinic_id: int) -> int:
    return (
        ClinicLog.objects.filter(clinic_id=clinic_id).values_list("last_seq", flat=True).first()
        or 0
    )


def events_matching(clinic_id: int, after: int, keep, *, limit: int = PAGE) -> list[dict]:
    """The events after ``after`` that ``keep`` accepts, up to ``limit`` of them."""
    found: list[dict] = []
    while len(found) < limit:
        page = events_after(clinic_id, after, limit=PAGE)
        found.extend(event for event in page if keep(event))
        if len(page) < PAGE:
            break
        after = page[-1]["seq"]
    return found[:limit]
