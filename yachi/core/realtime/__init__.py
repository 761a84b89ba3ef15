"""Live updates over WebSockets (ADR 0042): a durable log per subject, the channel layer as
its doorbell.

What a screen must not miss (a ticket called, a chat message) is written to a log of its
context's own with a sequence number first; ``publish`` then only tells the sockets of a
group that there is something new, and each reads its log after the last sequence it sent.
A socket that was away asks for everything after the last sequence it saw. The layer may
drop a wake-up (another process on the embedded default, a Redis hiccup): the consumers'
poll tick picks the event up from the log. What need not survive (typing, WebRTC
signalling) goes through ``broadcast`` as-is.
"""

import hashlib
import logging
import re

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

log = logging.getLogger(__name__)

WAKE = "realtime.wake"
TRANSIENT = "realtime.transient"
# Channels allows ASCII letters, digits, hyphens, underscores and periods, under 100 characters.
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_MAX_GROUP = 99


class Refused(Exception):
    """Raised by a consumer's ``authorize``: the socket is closed with 4403, nothing sent."""


def group_name(*parts) -> str:
    """The channel-layer group of a subject, e.g. ``group_name("queue", queue_id)``.

    Namespaced by deployment, so that two deployments sharing one Redis never wake each
    other's sockets. A name too long for Channels keeps a readable head and a digest.
    """
    name = ".".join([settings.YACHI_REDIS_PREFIX, *(_UNSAFE.sub("_", str(p)) for p in parts)])
    if len(name) <= _MAX_GROUP:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    return f"{name[: _MAX_GROUP - 17]}.{digest}"


async def apublish(group: str) -> None:
    await _asend(group, {"type": WAKE})


def publish(group: str) -> None:
    """Wake every socket of ``group`` to read its log. Call it after the commit
    (``transaction.on_commit``); never raises."""
    _send(group, {"type": WAKE})


async def abroadcast(group: str, message: dict, *, sender: str | None = None) -> None:
    await _asend(group, {"type": TRANSIENT, "message": message, "sender": sender})


def broadcast(group: str, message: dict, *, sender: str | None = None) -> None:
    """Deliver ``message`` as-is to every socket of ``group`` but the sender's; not logged."""
    _send(group, {"type": TRANSIENT, "message": message, "sender": sender})


def _send(group: str, message: dict) -> None:
    try:
        async_to_sync(_asend)(group, message)
    except Exception:  # a failing layer must not undo or fail the change that was made
        log.warning("realtime: could not reach the channel layer for %s", group, exc_info=True)


async def _asend(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await layer.group_send(group, message)
    except Exception:
        log.warning("realtime: could not reach the channel layer for %s", group, exc_info=True)
