"""Envelope encryption of text values, for the encrypted model fields.

A value is sealed with SM4-GCM under a *data key*; data keys are random, kept in the
database only wrapped (sealed) by a *master key* from the environment (``keys.py``).
What a column stores::

    sm4gcm:v1:<data key id>:<base64(nonce || ciphertext || tag)>

The associated data is the header followed by the *context*, the place the value
belongs to (``app_label.model_name.field_name``): a ciphertext copied into another
column, or given another key id, does not decrypt. Unwrapped data keys stay in this
process's memory; the id of the current one is re-read from the database every minute,
so every process follows a data key rotation within that time.
"""

import base64
import binascii
import time

from django.db import IntegrityError, transaction

from yachi.compliance import sm4
from yachi.compliance.errors import (
    DataKeyUnwrapFailed,
    DecryptionFailed,
    MalformedCiphertext,
    UnknownDataKey,
    UnknownMasterKey,
)
from yachi.compliance.keys import MASTER_KEYS, keyring
from yachi.compliance.models import DataKey

PREFIX = "sm4gcm:v1:"
CURRENT_KEY_SECONDS = 60

_keys: dict[int, bytes] = {}  # unwrapped data keys, by id
# Keys created in a transaction that has not committed yet: it may still roll back,
# and a key remembered from it would encrypt values that nobody could ever read.
_uncommitted: set[int] = set()
_current: tuple[int | None, float] = (None, 0.0)  # (id of the current key, read at)


def encrypt(plaintext: str, *, context: str) -> str:
    key_id, key = _current_data_key()
    header = f"{PREFIX}{key_id}:"
    sealed = sm4.seal(key, plaintext.encode(), associated_data=f"{header}{context}".encode())
    return header + base64.b64encode(sealed).decode("ascii")


def decrypt(ciphertext: str, *, context: str) -> str:
    key_id, sealed = parse(ciphertext, context=context)
    key = data_key(key_id, context=context)
    try:
        plaintext = sm4.unseal(key, sealed, associated_data=f"{PREFIX}{key_id}:{context}".encode())
    except sm4.AuthenticationFailed:
        raise DecryptionFailed(
            f"a value of {context} does not decrypt with data key {key_id}: it was altered, "
            "copied from another column, or its data key is wrong"
        ) from None
    return plaintext.decode()


def encrypt_bytes(plaintext: bytes, *, context: str) -> bytes:
    """Files (photos, exports): the same header and sealing, without base64."""
    key_id, key = _current_data_key()
    header = f"{PREFIX}{key_id}:".encode()
    return header + sm4.seal(key, plaintext, associated_data=header + context.encode())


def decrypt_bytes(blob: bytes, *, context: str) -> bytes:
    try:
        head, key_id, sealed = _split_binary(blob)
    except ValueError:
        raise MalformedCiphertext(f"a file of {context} is not an {PREFIX} ciphertext") from None
    key = data_key(key_id, context=context)
    try:
        return sm4.unseal(key, sealed, associated_data=head + context.encode())
    except sm4.AuthenticationFailed:
        raise DecryptionFailed(
            f"a file of {context} does not decrypt with data key {key_id}: it was altered "
            "or its data key is wrong"
        ) from None


def _split_binary(blob: bytes) -> tuple[bytes, int, bytes]:
    prefix = PREFIX.encode()
    if not blob.startswith(prefix):
        raise ValueError
    key_text, sealed = blob[len(prefix) :].split(b":", 1)
    key_id = int(key_text)
    if str(key_id).encode() != key_text:
        raise ValueError
    return prefix + key_text + b":", key_id, sealed


def parse(ciphertext: str, *, context: str) -> tuple[int, bytes]:
    """``(data key id, sealed bytes)``; the error never quotes the value, which may be
    plaintext that was written behind the application's back."""
    try:
        if not ciphertext.startswith(PREFIX):
            raise ValueError
        key_id, payload = ciphertext.removeprefix(PREFIX).split(":", 1)
        sealed = base64.b64decode(payload, validate=True)
        # Base64 can spell the same bytes more than one way; only the canonical
        # spelling is accepted, so that any change to the stored text is refused.
        if base64.b64encode(sealed).decode("ascii") != payload or str(int(key_id)) != key_id:
            raise ValueError
        return int(key_id), sealed
    except (ValueError, binascii.Error):
        raise MalformedCiphertext(f"a value of {context} is not an {PREFIX} ciphertext") from None


# --- data keys ---------------------------------------------------------------------------


def data_key(key_id: int, *, context: str = "") -> bytes:
    key = _keys.get(key_id)
    if key is None:
        row = DataKey.objects.filter(pk=key_id).first()
        if row is None:
            needed_by = f" (needed by {context})" if context else ""
            raise UnknownDataKey(f"data key {key_id}{needed_by} does not exist")
        key = unwrap(row)
        if key_id not in _uncommitted:
            _keys[key_id] = key
    return key


def current_data_key_id() -> int:
    """The id of the current data key, from the database; created on first use.

    Two processes may both find no key and both create one: the partial unique
    constraint lets exactly one commit, and the other takes that one.
    """
    key_id = DataKey.objects.filter(is_current=True).values_list("pk", flat=True).first()
    if key_id is not None:
        return key_id
    try:
        with transaction.atomic():
            return data_key_create().pk
    except IntegrityError:
        return DataKey.objects.values_list("pk", flat=True).get(is_current=True)


def data_key_create() -> DataKey:
    """A new current data key. The caller retires the previous one first."""
    ring = keyring()
    key = sm4.new_key()
    row = DataKey.objects.create(
        master_key_id=ring.current_master_key_id,
        wrapped_key=wrap(key, master_key_id=ring.current_master_key_id),
    )
    _uncommitted.add(row.pk)
    transaction.on_commit(lambda: _uncommitted.discard(row.pk))
    return row


def wrap(key: bytes, *, master_key_id: str) -> str:
    master_key = keyring().master_keys[master_key_id]
    sealed = sm4.seal(master_key, key, associated_data=_wrap_context(master_key_id))
    return base64.b64encode(sealed).decode("ascii")


def unwrap(row: DataKey) -> bytes:
    master_key = keyring().master_keys.get(row.master_key_id)
    if master_key is None:
        raise UnknownMasterKey(
            f"data key {row.pk} is wrapped by master key {row.master_key_id!r}, "
            f"which is not in {MASTER_KEYS}"
        )
    try:
        sealed = base64.b64decode(row.wrapped_key, validate=True)
        return sm4.unseal(master_key, sealed, associated_data=_wrap_context(row.master_key_id))
    except (sm4.AuthenticationFailed, binascii.Error, ValueError):
        raise DataKeyUnwrapFailed(
            f"data key {row.pk} does not unwrap with master key {row.master_key_id!r}: "
            "that master key is not the one that wrapped it, or the wrapped key was altered"
        ) from None


def forget_current() -> None:
    """Read the current data key from the database at the next encryption."""
    global _current
    _current = (None, 0.0)


def reset_caches() -> None:
    """Forget every key held in memory (after a change of configuration, between tests)."""
    keyring.cache_clear()
    _keys.clear()
    _uncommitted.clear()
    forget_current()


def _current_data_key() -> tuple[int, bytes]:
    global _current
    key_id, read_at = _current
    if key_id is None or time.monotonic() - read_at > CURRENT_KEY_SECONDS:
        key_id = current_data_key_id()
        if key_id not in _uncommitted:
            _current = (key_id, time.monotonic())
    return key_id, data_key(key_id)


def _wrap_context(master_key_id: str) -> bytes:
    return f"yachi:data-key:{master_key_id}".encode()


def data_keys_check() -> int:
    """Unwrap every data key with the master keys of this process (after a restore: are
    these the keys of this data?); the number checked, or the first that fails."""
    rows = list(DataKey.objects.all())
    for row in rows:
        unwrap(row)
    return len(rows)
