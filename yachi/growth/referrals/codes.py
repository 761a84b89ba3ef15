"""Invite codes: short, unguessable, easy to read off a poster and type on a phone."""

import secrets

from yachi.growth.codes import ALPHABET

LENGTH = 8  # 25**8 ≈ 1.5e11: guessing a live code is hopeless


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(code: str) -> str:
    """What a patient typed: spaces and dashes dropped, upper case."""
    return "".join((code or "").split()).upper().replace("-", "")[:16]
