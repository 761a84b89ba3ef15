"""How a display token opens a clinic's board: the clinic named in the link and a token
of that clinic that is not revoked. Anything else — another clinic's token, a revoked
one, a made-up one — is the same "not found"."""

import hashlib
import threading
import time
from dataclasses import dataclass

from yachi.core.models import as_public_id
from yachi.queueing.display.models import DisplayToken

PREFIX = "yd_"
# How long a socket-server process believes a display token it has checked. A waiting
# room's screens come back together after a restart or a network cut, a few tokens for
# hundreds of sockets: each token is read once, not once a socket. A revoked token's open
# sockets are told at once (``display_revoked``); a new socket may open with it in a
# process that checked it within these seconds.
SOCKET_BELIEF_SECONDS = 5.0


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def display_by_secret(*, clinic_id, secret: str | None) -> DisplayToken | None:
    """The active display token ``secret`` of the clinic whose public id is ``clinic_id``."""
    public_id = as_public_id(clinic_id)
    if public_id is None or not secret or not secret.startswith(PREFIX) or len(secret) > 80:
        return None
    return (
        DisplayToken.objects.select_related("clinic")
        .filter(digest=digest_of(secret), clinic__public_id=public_id, revoked_at__isnull=True)
        .first()
    )


def queue_for_display(*, queue_id, secret: str | None):
    """(the queue, the display token) when ``secret`` is an active display token of the
    clinic of the queue ``queue_id``; None otherwise (the queue socket's second door)."""
    from yachi.queueing.models import Queue

    public_id = as_public_id(queue_id)
    token = display_for_socket(secret) if public_id is not None else None
    if token is None:
        return None
    queue = (
        Queue.objects.select_related("clinic", "doctor")
        .filter(public_id=public_id, clinic_id=token.clinic_id)
        .first()
    )
    return None if queue is None else (queue, token)


@dataclass(frozen=True)
class Believed:
    token_id: int
    token_public_id: object
    clinic_id: int
    clinic_public_id: object


_believed: dict[str, tuple[float, Believed | None]] = {}
_believed_lock = threading.Lock()


def display_for_socket(secret: str | None) -> Believed | None:
    """The active display token ``secret`` as a socket needs it, read at most once in
    ``SOCKET_BELIEF_SECONDS`` per process (refusals too)."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 80:
        return None
    digest = digest_of(secret)
    now = time.monotonic()
    with _believed_lock:
        found = _believed.get(digest)
    if found is not None and found[0] > now:
        return found[1]
    row = (
        DisplayToken.objects.filter(digest=digest, revoked_at__isnull=True)
        .values_list("pk", "public_id", "clinic_id", "clinic__public_id")
        .first()
    )
    believed = Believed(*row) if row else None
    with _believed_lock:
        if len(_believed) > 10_000:
            _believed.clear()
        _believed[digest] = (now + SOCKET_BELIEF_SECONDS, believed)
    return believed


def forget_believed() -> None:
    with _believed_lock:
        _believed.clear()
