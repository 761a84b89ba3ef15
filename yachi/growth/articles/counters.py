"""Views and shares of articles, counted without a database write per view.

With Redis, a view is one ``HINCRBY`` on a hash per kind; without it, a process keeps
its own tally. Either way ``counters_flush`` (every minute, ``growth.tasks``) moves what
was counted into ``Article.view_count`` / ``share_count`` with one ``F()`` update per
article, and a process's own tally is also moved when it is older than
``FLUSH_SECONDS`` on the next count (so one process without a job consumer still
writes at most one update per article per interval). Redis's part is taken by a script
that reads and deletes the hash in one step, so a count is moved once.
"""

import threading
import time
from collections import Counter
from functools import cache

import redis
from django.conf import settings
from django.db.models import F

FLUSH_SECONDS = 10
KINDS = ("views", "shares")
_FIELDS = {"views": "view_count", "shares": "share_count"}

_lock = threading.Lock()
_local: dict[str, Counter] = {kind: Counter() for kind in KINDS}
_since = [time.monotonic()]

_TAKE = """
local taken = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
return taken
"""


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2)


def _key(kind: str) -> str:
    return f"{settings.YACHI_REDIS_PREFIX}:growth:article_{kind}"


def count(kind: str, article_pk: int) -> None:
    if settings.REDIS_URL:
        _client(settings.REDIS_URL).hincrby(_key(kind), str(article_pk), 1)
        return
    with _lock:
        _local[kind][article_pk] += 1
        due = time.monotonic() - _since[0] >= FLUSH_SECONDS
    if due:
        counters_flush()


def pending(kind: str, article_pk: int) -> int:
    """What was counted and not yet moved (this process's, or Redis's)."""
    if settings.REDIS_URL:
        return int(_client(settings.REDIS_URL).hget(_key(kind), str(article_pk)) or 0)
    with _lock:
        return _local[kind][article_pk]


def _take() -> dict[str, Counter]:
    taken = {kind: Counter() for kind in KINDS}
    with _lock:
        for kind in KINDS:
            taken[kind].update(_local[kind])
            _local[kind].clear()
        _since[0] = time.monotonic()
    if settings.REDIS_URL:
        client = _client(settings.REDIS_URL)
        for kind in KINDS:
            flat = client.eval(_TAKE, 1, _key(kind))
            for field, value in zip(flat[::2], flat[1::2], strict=True):
                taken[kind][int(field)] += int(value)
    return taken


def counters_flush() -> int:
    """Move every count into the articles' rows; the number of rows updated."""
    from yachi.growth.articles.models import Article

    updated = 0
    for kind, counts in _take().items():
        for pk, n in counts.items():
            if n:
                updated += Article.objects.filter(pk=pk).update(
                    **{_FIELDS[kind]: F(_FIELDS[kind]) + n}
                )
    return updated
