"""The audit trail's hash chain, without Django.

Each entry's digest is HMAC-SM3, under a key kept outside the database, over the
previous entry's digest, its own sequence number and its content. Editing an entry
breaks its digest; deleting one leaves a gap in the sequence; swapping two breaks the
links. Someone with the database alone cannot re-forge the chain, because they do
not hold the key.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from yachi.compliance.sm4 import hmac_sm3

GENESIS = "0" * 64


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


@dataclass(frozen=True)
class Break:
    seq: int
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
