"""The audit trail's hash chain, without Django.

Each entry's digest is HMAC-SM3, under a key kept outside the database, over the
previous entry's digest, its own sequence number and its content. Editing an entry
breaks its digest; deleting one leaves a gap in the sequence; swapping two breaks the
links. Someone with the database alone cannot re-forge the chain, because they do
not hold the key.

Deleting the newest entries leaves no gap, so the end of the chain is vouched for
twice more: the head row is signed with the same key (a head rewound without it does
not verify), and checkpoints outside the database (``checkpoints.py``) remember how far
the chain went, against a head put back from an older copy. The signatures are HMACs
over their own prefixes, so that none can pass for another or for an entry's digest.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from yachi.compliance.sm4 import hmac_sm3

GENESIS = "0" * 64


def instant(moment: datetime | None) -> str:
    """One spelling of an instant, whatever zone it was made or read in ("" for none)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds") if moment else ""


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(key: bytes, *, previous: str, seq: int, content: dict) -> str:
    return hmac_sm3(key, previous.encode() + b"\n" + str(seq).encode() + b"\n" + canonical(content))


@dataclass(frozen=True)
class Link:
    seq: int
    content: dict
    previous: str
    digest: str


def head_signature(key: bytes, state: dict) -> str:
    """The signature of everything the head row says (``AuditHead.state()``)."""
    return hmac_sm3(key, b"audit-head\n" + canonical(state))


def checkpoint_signature(key: bytes, *, number: int, seq: int, digest: str, at: str) -> str:
    """The signature of checkpoint ``number``: entry ``seq`` had ``digest`` at ``at``."""
    state = {"number": number, "seq": seq, "digest": digest, "at": at}
    return hmac_sm3(key, b"audit-checkpoint\n" + canonical(state))


def span(first: int, last: int) -> str:
    """``entry #4`` or ``entries #4–#7``, for messages."""
    return f"entry #{first}" if first == last else f"entries #{first}–#{last}"


@dataclass(frozen=True)
class Break:
    """Where the trail breaks: an entry's number, or None when the fault is not in one
    entry (a checkpoint store gone or altered)."""

    seq: int | None
    reason: str


def first_break(
    key: bytes, links: Iterable[Link], *, after_seq: int = 0, after_digest: str = GENESIS
) -> Break | None:
    """The first link that does not follow from the one before, or None."""
    expected_seq, expected_previous = after_seq + 1, after_digest
    for link in links:
        if link.seq != expected_seq:
            if link.seq > expected_seq:
                return Break(expected_seq, "missing (deleted)")
            return Break(link.seq, "out of order")
        if link.previous != expected_previous:
            return Break(link.seq, "not linked to the entry before it (reordered or replaced)")
        if link.digest != digest(key, previous=link.previous, seq=link.seq, content=link.content):
            return Break(link.seq, "altered")
        expected_seq, expected_previous = link.seq + 1, link.digest
    return None
