"""Signing of the platform's messages: HMAC-SM3 (GB/T 32905 hash in RFC 2104's HMAC).

Every request carries the channel's app id, a timestamp in milliseconds, a nonce used
once and ``HMAC-SM3(secret, app_id \\n timestamp \\n nonce \\n SM3(body))`` in hex; every
answer is signed the same way by the platform, without the app id. Pure: no Django.

Provinces differ here (ADR 0064): the national mobile-payment interface signs with SM2
and encrypts ``encData`` with SM4; a province adapter adds that signer behind
``sign``/``verify`` and keeps the rest.
"""

import hmac as stdlib_hmac
import time

from cryptography.hazmat.primitives import hashes, hmac

HEADER_APP_ID = "x-yb-app-id"
HEADER_TIMESTAMP = "x-yb-timestamp"
HEADER_NONCE = "x-yb-nonce"
HEADER_SIGNATURE = "x-yb-signature"
# How far a message's timestamp may be from the receiver's clock.
MAX_SKEW_MS = 5 * 60 * 1000


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3_hex(key: bytes, message: bytes) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(message)
    return mac.finalize().hex()


def request_message(*, app_id: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return f"{app_id}\n{timestamp}\n{nonce}\n{sm3_hex(body)}".encode()


def response_message(*, timestamp: str, nonce: str, body: bytes) -> bytes:
    return f"{timestamp}\n{nonce}\n{sm3_hex(body)}".encode()


def sign(secret: str, message: bytes) -> str:
    return hmac_sm3_hex(secret.encode(), message)


def verify(secret: str, message: bytes, signature: str) -> bool:
    return stdlib_hmac.compare_digest(sign(secret, message), signature or "")


def request_is_signed(*, secret: str, app_id: str, headers, body: bytes, now_ms=None) -> bool:
    """What the receiving side checks of a request: its app id, a timestamp near its own
    clock, a nonce and the signature (whether the nonce was seen before is the receiver's)."""
    timestamp = headers.get(HEADER_TIMESTAMP, "")
    nonce = headers.get(HEADER_NONCE, "")
    if headers.get(HEADER_APP_ID) != app_id or not timestamp.isdigit() or not nonce:
        return False
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    if abs(int(timestamp) - now_ms) > MAX_SKEW_MS:
        return False
    message = request_message(app_id=app_id, timestamp=timestamp, nonce=nonce, body=body)
    return verify(secret, message, headers.get(HEADER_SIGNATURE, ""))
