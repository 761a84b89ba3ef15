"""Our trade and refund numbers: unique, unguessable, and readable on a statement."""

import secrets

from django.utils import timezone

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_number(prefix: str) -> str:
    """``prefix`` + local date and time + 10 random characters, 26 characters in all."""
    stamp = timezone.localtime().strftime("%y%m%d%H%M%S")
    # One read of the system's randomness for all ten: 256 is a multiple of the
    # alphabet's 32 characters, so each is as likely as with secrets.choice.
    tail = "".join(_ALPHABET[byte % 32] for byte in secrets.token_bytes(10))
    return f"{prefix}{stamp}{tail}"
