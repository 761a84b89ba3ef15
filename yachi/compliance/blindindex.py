"""Blind indexes: find a row by an encrypted value without decrypting anything.

A blind index is HMAC-SM3 under ``YACHI_INDEX_KEY`` of the purpose and the normalized
value. Equal values give equal indexes, so an equality lookup works; without the key,
the index tells nothing about the value, not even across purposes (a phone number and
an ID number that happen to be equal get unrelated indexes).

The purpose decides the normalization: ``blind_index("phone", "+86 138-0000-0001")``
must find what ``BlindIndexField(purpose="phone", normalize=...)`` stored, so each
field registers its purpose here and one purpose may have only one normalization.
"""

import functools
import re
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from yachi.compliance.keys import keyring
from yachi.compliance.sm4 import hmac_sm3

PURPOSE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_IDENTITY = "builtins.str"
_normalizers: dict[str, str] = {}  # purpose → dotted path of its normalization


def blind_index(purpose: str, value) -> str | None:
    """The index to filter on: ``filter(phone_index=blind_index("phone", phone))``.

    ``None`` and ``""`` have no index and stay as they are, like the encrypted fields
    keep them. The normalization may refuse a value (raising its own error).
    """
    if value is None or value == "":
        return value
    normalized = _normalizer(purpose)(value)
    return hmac_sm3(keyring().index_key, f"{purpose}:{normalized}".encode())


def register(*, purpose: str, normalize: str | Callable | None, owner: str) -> None:
    if not PURPOSE.fullmatch(purpose):
        raise ImproperlyConfigured(
            f"{owner}: blind index purpose {purpose!r} must be 1 to 64 letters, digits, "
            "'_', '.' or '-'"
        )
    path = _dotted_path(normalize, owner=owner)
    known = _normalizers.setdefault(purpose, path)
    if known != path:
        raise ImproperlyConfigured(
            f"{owner}: blind index purpose {purpose!r} is normalized by {known} elsewhere, "
            f"not {path}; one purpose needs one normalization or lookups would miss"
        )


def _normalizer(purpose: str) -> Callable:
    path = _normalizers.get(purpose)
    if path is None:
        raise LookupError(f"no BlindIndexField has the purpose {purpose!r}")
    return _import(path)


_import = functools.cache(import_string)


def _dotted_path(normalize: str | Callable | None, *, owner: str) -> str:
    if normalize is None:
        return _IDENTITY
    if isinstance(normalize, str):
        return normalize
    module, name = getattr(normalize, "__module__", None), getattr(normalize, "__qualname__", "<")
    if not module or "<" in name:
        # Migrations and blind_index() must find it again by name.
        raise ImproperlyConfigured(
            f"{owner}: normalize must be a dotted path or a module-level function"
        )
    return f"{module}.{name}"
