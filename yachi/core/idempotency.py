"""Idempotent writes: a retried request with the same key returns the first result.

Phones on bad networks retry; a retry must never book twice. The key is claimed
inside the same transaction as the write, so the write and the record of its result
commit together or not at all, and the unique constraint decides between two
concurrent requests that carry the same key.
"""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yachi.core.errors import InvalidInput
from yachi.core.models import IdempotencyKey

MAX_KEY_LENGTH = 128


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency_key_reused"
    default_message = _("This Idempotency-Key was already used for a different request.")


def fingerprint(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def validate_key(key: str) -> str:
    key = key.strip()
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            _("An Idempotency-Key must be 1 to 128 printable characters."),
            code="invalid_idempotency_key",
        )
    return key


def run_once(
    *, user, scope: str, key: str, payload: dict, action: Callable[[], list[str]]
) -> tuple[list[str], bool]:
    """``(result, replayed)``: the result of ``action`` for the first request with
    this key, the stored result (and ``replayed=True``) for every later one."""
    key = validate_key(key)
    digest = fingerprint(payload)
    with transaction.atomic():
        existing = IdempotencyKey.objects.filter(user=user, scope=scope, key=key).first()
        if existing is None:
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(
                        user=user, scope=scope, key=key, fingerprint=digest
                    )
            except IntegrityError:
                # A concurrent request with the same key committed first.
                existing = IdempotencyKey.objects.get(user=user, scope=scope, key=key)
        if existing is not None:
            if existing.fingerprint != digest:
                raise IdempotencyKeyReused()
            return list(existing.result), True
        result = action()
        record.result = result
        record.save(update_fields=["result"])
        return result, False
