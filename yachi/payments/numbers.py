"""Our trade and refund numbers: unique, unguessable, and readable on a statement."""

import secrets

from django.utils import timezone

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_number(prefix: str) -> str:
    """``prefix`` + local date and time + 10 random characters, 26 characters in all."""
    stamp = timezone.localtime().strftime("%y%m%d%H%M%S")
    tail = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{prefix}{stamp}{tail}"
