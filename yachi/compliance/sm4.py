"""SM4-GCM sealing and HMAC-SM3 digests, without Django.

The national standards (GB/T 32907 SM4, GB/T 32905 SM3) through ``cryptography``'s
OpenSSL bindings: a pure-Python implementation is hundreds of times slower. Everything
here works on bytes; key management and text formats live in ``envelope.py``.
"""

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY_SIZE = 16
NONCE_SIZE = 12
TAG_SIZE = 16


class AuthenticationFailed(Exception):
    """The sealed bytes were altered, or the key or associated data is not theirs."""


def new_key() -> bytes:
    return secrets.token_bytes(KEY_SIZE)


def seal(key: bytes, plaintext: bytes, *, associated_data: bytes) -> bytes:
    """``nonce || ciphertext || tag``, with a fresh random nonce for every call.

    A random 96-bit nonce never repeats in practice as long as one key seals fewer
    than about 2**32 values; data keys are rotated long before that.
    """
    nonce = secrets.token_bytes(NONCE_SIZE)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated_data)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + ciphertext + encryptor.tag


def unseal(key: bytes, sealed: bytes, *, associated_data: bytes) -> bytes:
    if len(sealed) < NONCE_SIZE + TAG_SIZE:
        raise AuthenticationFailed("sealed value is too short")
    nonce, ciphertext, tag = sealed[:NONCE_SIZE], sealed[NONCE_SIZE:-TAG_SIZE], sealed[-TAG_SIZE:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated_data)
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag as exc:
        raise AuthenticationFailed("authentication tag does not match") from exc


def hmac_sm3(key: bytes, message: bytes) -> str:
    """The 64-character hex HMAC-SM3 of ``message``."""
    digest = hmac.HMAC(key, hashes.SM3())
    digest.update(message)
    return digest.finalize().hex()
