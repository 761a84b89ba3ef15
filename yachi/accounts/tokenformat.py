"""What a bearer token says of itself: its user, the user's role and its expiry, under a
keyed MAC, so that a process can tell who sent a request before asking anyone.

``yc2_<user id>.<role>.<expiry, Unix seconds>.<32 random bytes>.<MAC>``. Only the
SHA-256 digest of the whole value is stored, as for the older ``yc_<random>`` tokens; the
claims never replace the row: they are believed without it only while the process knows
every revocation (``accounts/revocations.py``). A value whose MAC does not verify (a new
``SECRET_KEY``, a forgery) is simply looked up by its digest like an old token.
"""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

PREFIX = "yc2_"
_MAC_BYTES = 16
_keys: dict[str, bytes] = {}


@dataclass(frozen=True)
class Claims:
    user_id: int
    role: str
    expires_at: datetime


def _key(secret_key: str) -> bytes:
    # Derived once per secret: hashing the secret per request would cost more than the MAC.
    if secret_key not in _keys:
        _keys[secret_key] = hmac.new(
            secret_key.encode(), b"yachi.accounts.token-claims", hashlib.sha256
        ).digest()
    return _keys[secret_key]


def _mac(body: str, secret_key: str) -> str:
    mac = hmac.new(_key(secret_key), body.encode(), hashlib.sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def make(*, user_id: int, role: str, expires_at: datetime, secret_key: str) -> str:
    body = f"{user_id}.{role}.{int(expires_at.timestamp())}.{secrets.token_urlsafe(32)}"
    return f"{PREFIX}{body}.{_mac(body, secret_key)}"


def claims_of(raw: str, secret_key: str) -> Claims | None:
    """The claims of a well-formed value whose MAC verifies, else None."""
    if not raw.startswith(PREFIX):
        return None
    body, _, mac = raw[len(PREFIX) :].rpartition(".")
    parts = body.split(".")
    if len(parts) != 4 or not parts[0].isdigit() or not parts[2].isdigit():
        return None
    if not hmac.compare_digest(mac, _mac(body, secret_key)):
        return None
    return Claims(
        user_id=int(parts[0]),
        role=parts[1],
        expires_at=datetime.fromtimestamp(int(parts[2]), UTC),
    )
