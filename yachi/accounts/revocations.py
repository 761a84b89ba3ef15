"""Every process hears of every change to a token the moment it is made, so that it can
believe what it remembers of a token without asking Redis on each use.

With Redis, each process runs one listener thread subscribed to the channel on which
``tokencache.forget`` publishes the digests of the tokens it forgets (a logout, a
log-out-everywhere, a password or account change, a deactivation, an erasure, a token
revoked by its owner or in the admin). Once subscribed, the listener reads from the
database which unexpired tokens are revoked and which accounts are inactive: with what it
hears from then on, the process knows every reason to doubt a token.

The process trusts its knowledge only while it is *live*: subscribed, loaded, and Redis
answered the listener's ping in the last ``HEARD_SECONDS``. Whenever it is not (starting,
a lost connection, a Redis that does not answer), every use is checked as before
(``tokencache.find``: the token's version or record in Redis, else the database), and a
new subscription starts over: memory emptied, knowledge read again.

A forget waits, before it returns, until every subscribed process has acknowledged it, or
``HEARD_SECONDS`` have passed: a process that has not acknowledged by then has not heard
from Redis since, so it no longer trusts anything. Either way, once the logout returns,
no process believes the token without checking it.

A digest heard of is *doubted*: the process checks it on its next use (revoked: refused;
only changed: its user read again) and trusts what that check found only if the check
began after the last word about the digest. Nothing here refuses by itself; it only
decides when a check is needed.
"""

import logging
import os
import threading
import time
import uuid
from datetime import UTC, datetime

import redis
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)

# How often the listener pings Redis, and how long without an answer it stays trusted:
# the longest a revocation lost with a silently broken connection could go unheard.
PING_SECONDS = 0.25
HEARD_SECONDS = 1.0
# Doubts are kept until the next subscription; past this many, one starts at once.
MAX_DOUBTED = 200_000


class Listener:
    def __init__(self, client: redis.Redis, channel: str, on_heard, on_restart):
        self.client = client
        self.channel = channel
        self._on_heard = on_heard  # digests -> None: drop them from memory
        self._on_restart = on_restart  # a new subscription: memory emptied
        self.pid = os.getpid()
        self.epoch = 0  # 0: not live; else the subscription the knowledge belongs to
        self.sequence = 0  # counts what was heard, to order checks and doubts
        self.doubted: dict[str, int] = {}
        self.inactive_users: frozenset[int] = frozenset()
        self.heard_at = 0.0
        self._subscriptions = 0
        self._uses: dict[str, int] = {}
        self._uses_key = ""
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="token-revocations", daemon=True)
        self._thread.start()

    # --- what requests ask -----------------------------------------------------------

    def live_epoch(self) -> int:
        """The current subscription's number if the process knows every doubt now, else 0."""
        epoch = self.epoch
        if epoch and time.monotonic() - self.heard_at < HEARD_SECONDS:
            return epoch
        return 0

    def doubt_of(self, digest: str) -> int:
        """When the last word about the digest was heard (-1: never)."""
        return self.doubted.get(digest, -1)

    def mark_use(self, uses_key: str, digest: str, at: datetime) -> None:
        """Uses of trusted tokens go to Redis with the listener's next ping."""
        self._uses_key = uses_key
        self._uses[digest] = int(at.timestamp())

    def wait_live(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.live_epoch():
                return True
            time.sleep(0.01)
        return False

    def running(self) -> bool:
        """Its thread runs in this process (a forked process must start its own)."""
        return self.pid == os.getpid() and self._thread.is_alive()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)

    # --- the thread ----------------------------------------------------------------

    def _run(self) -> None:
        told = False  # a Redis that stays away is reported once, not every second
        while not self._stopped.is_set():
            subscriptions = self._subscriptions
            try:
                self._listen()
            except Exception:  # any failure: not live, and subscribe again
                if self._subscriptions != subscriptions:
                    told = False  # it was live in between: this is a new loss
                logger.log(
                    logging.DEBUG if told else logging.WARNING,
                    "token revocations: subscription lost; tokens are checked on every use",
                    exc_info=True,
                )
                told = True
            self.epoch = 0
            self._stopped.wait(1.0)

    def _listen(self) -> None:
        pubsub = self.client.pubsub()
        try:
            pubsub.subscribe(self.channel)
            if not self._confirmed(pubsub):
                return
            self.doubted = {}
            self._on_restart()
            self._load()
            # What was published while the list was read is taken before trusting.
            while (message := pubsub.get_message(timeout=0)) is not None:
                self._take(message)
            self.heard_at = time.monotonic()
            self._subscriptions += 1
            self.epoch = self._subscriptions
            pinged = time.monotonic()
            while not self._stopped.is_set():
                message = pubsub.get_message(timeout=PING_SECONDS)
                if message is not None:
                    self._take(message)
                if time.monotonic() - pinged >= PING_SECONDS:
                    self._flush_uses()
                    pubsub.ping()
                    pinged = time.monotonic()
                if len(self.doubted) > MAX_DOUBTED:
                    return
        finally:
            self.epoch = 0
            pubsub.close()

    def _confirmed(self, pubsub) -> bool:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            message = pubsub.get_message(timeout=1.0)
            if message is not None and message["type"] == "subscribe":
                return True
        return False

    def _take(self, message: dict) -> None:
        self.heard_at = time.monotonic()
        if message["type"] != "message":
            return  # the answer to a ping
        acknowledgement, *digests = message["data"].decode().split()
        for digest in digests:
            self.sequence += 1
            self.doubted[digest] = self.sequence
        self._on_heard(digests)
        pipe = self.client.pipeline(transaction=False)
        pipe.rpush(acknowledgement, 1)
        pipe.expire(acknowledgement, 10)
        pipe.execute()

    def _load(self) -> None:
        """The revocations made before this subscription: from the database, which holds
        them whatever became of Redis."""
        try:
            close_old_connections()
            self.adopt(*known_doubts())
        finally:
            # The thread holds no connection between subscriptions.
            connection.close()

    def adopt(self, digests, inactive_users) -> None:
        self.sequence += 1
        self.doubted.update(dict.fromkeys(digests, self.sequence))
        self.inactive_users = frozenset(inactive_users)

    def _flush_uses(self) -> None:
        if not self._uses:
            return
        uses, self._uses = self._uses, {}
        self.client.hset(self._uses_key, mapping=uses)


def announce(pipe, client: redis.Redis, channel: str, digests: list[str]) -> None:
    """Publish the digests with the rest of ``pipe`` and wait for every subscriber's
    acknowledgement, or until none that has not acknowledged can still trust them."""
    acknowledgement = f"{channel}:ack:{uuid.uuid4().hex}"
    pipe.publish(channel, " ".join([acknowledgement, *digests]))
    listeners = pipe.execute()[-1]
    deadline = time.monotonic() + HEARD_SECONDS + 0.1
    while listeners > 0:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if client.blpop([acknowledgement], timeout=max(left, 0.01)) is None:
            break
        listeners -= 1
    client.delete(acknowledgement)


def known_doubts() -> tuple[list[str], list[int]]:
    """The unexpired tokens revoked or of inactive accounts, and the inactive accounts."""
    from django.db.models import Q

    from yachi.accounts.models import ApiToken, User

    now = datetime.now(UTC)
    revoked = ApiToken.objects.filter(
        Q(revoked_at__isnull=False) | Q(user__is_active=False), expires_at__gt=now
    ).values_list("digest", flat=True)
    inactive = User.objects.filter(is_active=False).values_list("pk", flat=True)
    return list(revoked.iterator()), list(inactive)
