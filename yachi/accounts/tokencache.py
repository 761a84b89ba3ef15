"""A short per-process memory of live API tokens, and with Redis a shared record of each,
so that authenticating a request costs a cache read instead of a SQL join, the decryption
of the user's fields and an ``UPDATE`` of the token's last use.

Each token has one key in the shared store (Redis when configured, otherwise the file
cache every process of a machine shares). It holds the token's *version*: a remembered
token is checked on every use against it. A logout, a log-out-everywhere, a password
change, a deactivation or an erasure sets new versions for the tokens concerned (now, and
again once the change is committed), so every process refuses (or re-reads) them on
their next use. A missing key (expired, evicted, a flushed Redis) never matches what a
process remembers: it then asks the database again. Whatever the versions say, nothing is
remembered longer than ``YACHI_TOKEN_CACHE_SECONDS`` (0 turns all of this off).

With Redis, the key of a live token holds more than a version: a *record* with what
authentication needs (the token's id and expiry, the user's columns as the database holds
them, names and number still encrypted, and neither the password hash nor the second
factor's secret). It is written once the token's issue is committed, or after a database
read found the key empty, and always by ``SET … NX``: a revocation writes a bare version
over it, and a record never replaces a version, so a read that raced a revocation cannot
bring the token back. A token's first use in a process is then one round trip (the
record and its version together), with no SQL. Uses are marked in one Redis hash in the
same round trip, and ``flush_uses`` (a job every minute) writes them to
``ApiToken.last_used_at``. On the embedded default the database is read and the last use
written at most every five minutes, as before.

With Redis, every forget is also published, and each process's listener
(``accounts/revocations.py``) hears it: while the listener is live, a token the process
checked is trusted without a round trip until something is heard about it, and a token
whose claims verify (``accounts/tokenformat.py``) is trusted on its first use if nothing
was ever heard about it (ADR 0034). Its uses are then marked with the listener's next ping.
"""

import copy
import pickle
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from yachi.accounts.revocations import Listener, announce
from yachi.compliance.facade import open_on_read

# Bounds the memory: when full, it is emptied (a rush refills it in one request each).
MAX_ENTRIES = 20_000
# A version outlives every entry that may hold it; when it expires, entries re-read.
_VERSION_SECONDS = 3600
# A record lives at most this long (and never past its token); then one read refills it.
RECORD_SECONDS = 24 * 3600
# Without Redis, the last use is written at most this often per token and process.
TOUCH_INTERVAL = timedelta(minutes=5)
# Left out of a record: secrets, and columns that change without the tokens being told.
_LEFT_OUT = frozenset({"password", "totp_secret", "totp_last_step", "last_login"})


@dataclass
class Entry:
    user: object
    token_id: int
    expires_at: datetime
    last_used_at: datetime | None
    version: str
    remembered_until: float
    # The listener's subscription and what it had heard when the check began: the entry
    # is trusted without a round trip in that subscription until a word about it comes.
    epoch: int = 0
    checked_after: int = 0


@dataclass(frozen=True)
class Miss:
    """Not known here: the database decides. ``version`` is what to remember its answer
    under; None means the key was empty and a record may be added after the read."""

    version: str | None
    epoch: int = 0
    checked_after: int = 0


_entries: dict[str, Entry] = {}


def _key(digest: str) -> str:
    return f"accounts:token:{digest}"


def enabled() -> bool:
    return settings.YACHI_TOKEN_CACHE_SECONDS > 0


class _FileStore:
    """The file cache: versions only (its ``add`` is not atomic, so no records)."""

    records = False

    def get(self, digest: str, *, used_at: datetime | None = None):
        return cache.get(_key(digest))

    def add(self, digest: str, value, timeout: int) -> bool:
        return cache.add(_key(digest), value, timeout=timeout)

    def set_many(self, values: dict, timeout: int) -> None:
        cache.set_many({_key(d): v for d, v in values.items()}, timeout=timeout)


class _RedisStore:
    records = True

    def __init__(self, url: str, prefix: str):
        pool = redis.BlockingConnectionPool.from_url(
            url, max_connections=64, timeout=5, socket_timeout=5, socket_connect_timeout=5
        )
        self.client = redis.Redis(connection_pool=pool)
        self.prefix = f"{prefix}:accounts"
        self.uses = f"{self.prefix}:token-uses"
        self.channel = f"{self.prefix}:tokens-forgotten"
        self._listener: Listener | None = None

    def listener(self) -> Listener:
        """This process's listener (a forked process starts its own)."""
        if self._listener is None or not self._listener.running():
            self._listener = Listener(
                self.client, self.channel, on_heard=_drop, on_restart=clear_local
            )
        return self._listener

    def _k(self, digest: str) -> str:
        return f"{self.prefix}:token:{digest}"

    def get(self, digest: str, *, used_at: datetime | None = None):
        if used_at is None:
            raw = self.client.get(self._k(digest))
        else:
            # The use is marked in the same round trip; flush_uses keeps only live tokens'.
            pipe = self.client.pipeline(transaction=False)
            pipe.get(self._k(digest))
            pipe.hset(self.uses, digest, int(used_at.timestamp()))
            raw, _ = pipe.execute()
        return None if raw is None else pickle.loads(raw)  # noqa: S301  (our own values)

    def add(self, digest: str, value, timeout: int) -> bool:
        return bool(self.client.set(self._k(digest), pickle.dumps(value), nx=True, ex=timeout))

    def set_many(self, values: dict, timeout: int) -> None:
        pipe = self.client.pipeline(transaction=False)
        for digest, value in values.items():
            pipe.set(self._k(digest), pickle.dumps(value), ex=timeout)
        announce(pipe, self.client, self.channel, list(values))

    def take_uses(self) -> dict[str, int]:
        """The marked uses, moved aside first so that none marked meanwhile is lost; a
        batch left aside by a run that died is taken again."""
        taking = f"{self.uses}:taking"
        if not self.client.exists(taking):
            try:
                self.client.renamenx(self.uses, taking)
            except redis.ResponseError:  # nothing marked
                return {}
        return {d.decode(): int(t) for d, t in self.client.hgetall(taking).items()}

    def uses_taken(self) -> None:
        self.client.delete(f"{self.uses}:taking")


_stores: dict[tuple[str, str], _RedisStore] = {}


def _store():
    if not settings.REDIS_URL:
        return _FileStore()
    where = (settings.REDIS_URL, settings.YACHI_REDIS_PREFIX)
    if where not in _stores:
        _stores[where] = _RedisStore(*where)
    return _stores[where]


def _version_of(value) -> str | None:
    if isinstance(value, dict):
        return value["v"]
    return value


def records_kept() -> bool:
    """Whether uses are marked in Redis (and the shared store keeps records)."""
    return enabled() and _store().records


def find(digest: str, now: datetime, claims=None):
    """The live token, from this process's memory or its record, or its ``claims`` when
    they can be believed as they are; else what the database read that follows should be
    remembered under."""
    store = _store()
    entry = _entries.get(digest)
    if entry is not None and (time.monotonic() > entry.remembered_until or now >= entry.expires_at):
        _entries.pop(digest, None)
        entry = None
    epoch = checked_after = 0
    if store.records and settings.YACHI_TOKEN_LISTEN:
        listener = store.listener()
        epoch = listener.live_epoch()
        if epoch:
            if entry is not None and _trusted(entry, digest, listener, epoch):
                listener.mark_use(store.uses, digest, now)
                return entry
            if entry is None and claims is not None and _believable(claims, digest, listener, now):
                listener.mark_use(store.uses, digest, now)
                return claims
            checked_after = listener.sequence
    found = _checked(store, digest, entry, now)
    if isinstance(found, Entry):
        # Checked by a round trip begun after what had been heard: trusted from here on.
        found.epoch, found.checked_after = epoch, checked_after
        return found
    return Miss(found.version, epoch=epoch, checked_after=checked_after)


def _trusted(entry: Entry, digest: str, listener: Listener, epoch: int) -> bool:
    return entry.epoch == epoch and listener.doubt_of(digest) <= entry.checked_after


def _believable(claims, digest: str, listener: Listener, now: datetime) -> bool:
    return (
        now < claims.expires_at
        and listener.doubt_of(digest) < 0
        and claims.user_id not in listener.inactive_users
    )


def _checked(store, digest: str, entry: Entry | None, now: datetime) -> Entry | Miss:
    """One round trip: the token's version (and record) in the shared store."""
    mark = store.records and (entry is None or _due(entry.last_used_at, now))
    value = store.get(digest, used_at=now if mark else None)
    found = _version_of(value)
    if entry is not None:
        if found is not None and found == entry.version:
            if mark:
                entry.last_used_at = now
            return entry
        _entries.pop(digest, None)
    if isinstance(value, dict):
        entry = _from_record(value, now)
        if entry is not None:
            _keep(digest, entry)
            return entry
        return Miss(found)
    if value is None:
        if store.records:
            return Miss(None)
        # Made now, before the database is read: a revocation committed in between changes it.
        store.add(digest, uuid.uuid4().hex, _VERSION_SECONDS)
        return Miss(_version_of(store.get(digest)) or "")
    return Miss(found)


def _due(last_used_at: datetime | None, now: datetime) -> bool:
    return last_used_at is None or now - last_used_at > TOUCH_INTERVAL


def touch_due(entry_or_token, now: datetime) -> bool:
    """Whether the database should be told of this use now (not when Redis marks uses)."""
    return not records_kept() and _due(entry_or_token.last_used_at, now)


def remember(digest: str, *, token, user, miss: Miss) -> None:
    """Keep what the database said, under the version read before it; with Redis and an
    empty key, write the record (unless a revocation wrote a version meanwhile)."""
    version = miss.version
    if version is None:
        record = _record(token, user, version=uuid.uuid4().hex)
        if not _store().add(digest, record, _record_seconds(token)):
            return
        version = record["v"]
    if not version:
        return
    _keep(
        digest,
        Entry(
            user=copy.copy(user),
            token_id=token.pk,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            version=version,
            remembered_until=0,
            epoch=miss.epoch,
            checked_after=miss.checked_after,
        ),
    )


def publish(digest: str, *, token, user) -> None:
    """Once a new token is committed, its record (with Redis), so its first use needs no SQL."""
    if not records_kept():
        return

    def write() -> None:
        _store().add(digest, _record(token, user, version=uuid.uuid4().hex), _record_seconds(token))

    transaction.on_commit(write)


def _keep(digest: str, entry: Entry) -> None:
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    entry.remembered_until = time.monotonic() + settings.YACHI_TOKEN_CACHE_SECONDS
    _entries[digest] = entry


def _drop(digests: list[str]) -> None:
    """What the listener heard about: checked again on its next use."""
    for digest in digests:
        _entries.pop(digest, None)


def _record_seconds(token) -> int:
    left = int((token.expires_at - datetime.now(UTC)).total_seconds())
    return max(1, min(RECORD_SECONDS, left))


def _user_fields():
    from yachi.accounts.models import User

    return [f for f in User._meta.concrete_fields if f.attname not in _LEFT_OUT]


def _record(token, user, *, version: str) -> dict:
    values = {}
    for field in _user_fields():
        value = field.value_from_object(user)
        if hasattr(field, "encryption_context"):
            value = field.get_prep_value(value)  # sealed, as in its column
        values[field.attname] = value
    return {"v": version, "token_id": token.pk, "expires_at": token.expires_at, "user": values}


def _from_record(record: dict, now: datetime) -> Entry | None:
    from yachi.accounts.models import User

    if now >= record["expires_at"] or not record["user"].get("is_active"):
        return None
    names, row, sealed = [], [], {}
    for field in _user_fields():
        value = record["user"][field.attname]
        if hasattr(field, "encryption_context"):
            sealed[field.attname] = value
            continue
        names.append(field.attname)
        row.append(value)
    # The columns left out are loaded from the database if a request ever reads them;
    # the name and number are decrypted only if a request reads them (a refusal does not).
    user = User.from_db("default", names, row)
    open_on_read(user, sealed)
    return Entry(
        user=user,
        token_id=record["token_id"],
        expires_at=record["expires_at"],
        last_used_at=now,
        version=record["v"],
        remembered_until=0,
    )


def user_of(entry: Entry):
    # A copy: what a request does to its user never reaches the next request.
    return copy.copy(entry.user)


def forget(digests: Iterable[str]) -> None:
    """No process trusts these tokens' memory or record any more."""
    digests = list(digests)
    if not digests:
        return

    def bump() -> None:
        for digest in digests:
            _entries.pop(digest, None)
        _store().set_many({d: uuid.uuid4().hex for d in digests}, _VERSION_SECONDS)

    # Now, so that this process (and every other) stops trusting them at once, and again
    # once committed, so that a process that read the old row meanwhile re-reads it.
    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def forget_user(user_id: int) -> None:
    """Every token of the user (a logout everywhere, a password or account change)."""
    from yachi.accounts.models import ApiToken

    forget(ApiToken.objects.filter(user_id=user_id).values_list("digest", flat=True))


def flush_uses(*, batch: int = 500) -> int:
    """Write the uses marked in Redis to the tokens' ``last_used_at``; returns how many.

    Only live tokens move, and only forward: a refused try with a revoked or expired
    token is not a use.
    """
    from django.db.models import Q

    from yachi.accounts.models import ApiToken

    store = _store()
    if not store.records:
        return 0
    marks = store.take_uses()
    by_moment: dict[int, list[str]] = defaultdict(list)
    for digest, stamp in marks.items():
        by_moment[stamp].append(digest)
    for stamp, digests in by_moment.items():
        moment = datetime.fromtimestamp(stamp, UTC)
        for first in range(0, len(digests), batch):
            ApiToken.objects.filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=moment),
                digest__in=digests[first : first + batch],
                revoked_at__isnull=True,
                expires_at__gt=moment,
            ).update(last_used_at=moment)
    store.uses_taken()
    return len(marks)


def clear_local() -> None:
    _entries.clear()
