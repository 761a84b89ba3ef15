"""Signed requests both ways with a financing partner or an invoicing provider.

The signature is HMAC-SHA256 over ``METHOD\\npath\\ntimestamp\\nnonce\\nbody``, in base64,
sent in ``X-Yachi-App``, ``X-Yachi-Timestamp``, ``X-Yachi-Nonce`` and
``X-Yachi-Signature``: the shape Chinese open platforms use (an app id, a key per app,
a timestamp against replays). Our requests are signed with our secret; a callback must be
signed with the other side's secret and be less than five minutes old.
"""

import base64
import secrets
import time

from cryptography.hazmat.primitives import hashes, hmac

MAX_AGE_SECONDS = 300


class BadSignature(Exception):
    pass


def signature(secret: str, *, method: str, path: str, timestamp: str, nonce: str, body: bytes):
    mac = hmac.HMAC(secret.encode(), hashes.SHA256())
    mac.update(f"{method}\n{path}\n{timestamp}\n{nonce}\n".encode() + body)
    return base64.b64encode(mac.finalize()).decode()


def signed_headers(app_id: str, secret: str, *, method: str, path: str, body: bytes) -> dict:
    timestamp = str(int(time.time()))
    nonce = secrets.token_hex(16)
    return {
        "X-Yachi-App": app_id,
        "X-Yachi-Timestamp": timestamp,
        "X-Yachi-Nonce": nonce,
        "X-Yachi-Signature": signature(
            secret, method=method, path=path, timestamp=timestamp, nonce=nonce, body=body
        ),
        "Content-Type": "application/json",
    }


def verify(secret: str, *, headers, method: str, path: str, body: bytes) -> None:
    """Raise ``BadSignature`` unless ``headers`` (a mapping with case-insensitive get, or
    Django's ``request.headers``) carry a fresh signature of this request."""
    timestamp = headers.get("X-Yachi-Timestamp") or ""
    nonce = headers.get("X-Yachi-Nonce") or ""
    given = headers.get("X-Yachi-Signature") or ""
    if not secret or not timestamp.isdigit() or not nonce or not given:
        raise BadSignature("unsigned")
    if abs(time.time() - int(timestamp)) > MAX_AGE_SECONDS:
        raise BadSignature("stale")
    mac = hmac.HMAC(secret.encode(), hashes.SHA256())
    mac.update(f"{method}\n{path}\n{timestamp}\n{nonce}\n".encode() + body)
    try:
        mac.verify(base64.b64decode(given, validate=True))
    except Exception as exc:  # a wrong MAC or text that is not base64
        raise BadSignature("wrong") from exc
