"""A short per-process memory of live API tokens, so that a request with a token it has
seen costs one cache read instead of a SQL join and the decryption of the user's fields.

Each remembered token is checked on every use against a version kept in the shared cache
(Redis, or the file cache every process of a machine shares), one key per token. A logout,
a log-out-everywhere, a password change, a deactivation or an erasure sets new versions
for the tokens concerned once the change is committed, so every process refuses (or
re-reads) them on their next use. The version is read *before* the database is, so a
change committed between the two reads still changes it. A missing version key (expired,
evicted, a flushed Redis) never matches what a process remembers: it then asks the
database again. Whatever the versions say, nothing is remembered longer than
``YACHI_TOKEN_CACHE_SECONDS`` (0 turns the memory off).
"""

import copy
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

# Bounds the memory: when full, it is emptied (a rush refills it in one request each).
MAX_ENTRIES = 20_000
# A version outlives every entry that may hold it; when it expires, entries re-read.
_VERSION_SECONDS = 3600


@dataclass
class Entry:
    user: object
    token_id: int
    expires_at: datetime
    last_used_at: datetime | None
    version: str
    remembered_until: float


_entries: dict[str, Entry] = {}


def _key(digest: str) -> str:
    return f"accounts:token:{digest}"


def enabled() -> bool:
    return settings.YACHI_TOKEN_CACHE_SECONDS > 0


def version(digest: str) -> str:
    """The token's current version, made now when there is none."""
    key = _key(digest)
    found = cache.get(key)
    if found is None:
        cache.add(key, uuid.uuid4().hex, timeout=_VERSION_SECONDS)
        found = cache.get(key) or ""
    return found


def get(digest: str, now: datetime) -> Entry | None:
    """The remembered token, if it is still live and its version unchanged."""
    entry = _entries.get(digest)
    if entry is None:
        return None
    if time.monotonic() > entry.remembered_until or now >= entry.expires_at:
        _entries.pop(digest, None)
        return None
    if cache.get(_key(digest)) != entry.version:
        _entries.pop(digest, None)
        return None
    return entry


def remember(digest: str, *, token, user, version_: str) -> None:
    if not version_:
        return
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[digest] = Entry(
        user=copy.copy(user),
        token_id=token.pk,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        version=version_,
        remembered_until=time.monotonic() + settings.YACHI_TOKEN_CACHE_SECONDS,
    )


def user_of(entry: Entry):
    # A copy: what a request does to its user never reaches the next request.
    return copy.copy(entry.user)


def forget(digests: Iterable[str]) -> None:
    """No process trusts these tokens' memory any more."""
    digests = list(digests)
    if not digests:
        return

    def bump() -> None:
        for digest in digests:
            _entries.pop(digest, None)
        cache.set_many({_key(d): uuid.uuid4().hex for d in digests}, timeout=_VERSION_SECONDS)

    # Now, so that this process (and every other) stops trusting them at once, and again
    # once committed, so that a process that read the old row meanwhile re-reads it.
    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def forget_user(user_id: int) -> None:
    """Every token of the user (a logout everywhere, a password or account change)."""
    from yachi.accounts.models import ApiToken

    forget(ApiToken.objects.filter(user_id=user_id).values_list("digest", flat=True))


def clear_local() -> None:
    _entries.clear()
