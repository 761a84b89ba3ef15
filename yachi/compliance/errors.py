"""What goes wrong with encrypted data, by cause.

These are failures of the installation (a key missing or wrong, data altered behind
the application's back), not of a user's input: they name the key and the column so
that an operator can act, they are never translated, and they always propagate. An
encrypted value is either returned in clear or one of these is raised; never garbage
and never the ciphertext itself.
"""

from django.core.exceptions import FieldError


class EncryptionError(Exception):
    """Encrypted data cannot be read or written."""


class MalformedCiphertext(EncryptionError):
    """The stored value is not in the ``sm4gcm:v1:…`` format (e.g. written by raw SQL)."""


class UnknownDataKey(EncryptionError):
    """The value names a data key that is not in the database."""


class UnknownMasterKey(EncryptionError):
    """A data key is wrapped by a master key that is not configured."""


class DataKeyUnwrapFailed(EncryptionError):
    """A data key does not open with its master key: wrong master key, or altered."""


class DecryptionFailed(EncryptionError):
    """A value does not open: altered, copied from another column, or the wrong key."""


class EncryptedLookupRefused(FieldError):
    """Ciphertext cannot be searched; only ``isnull`` works on an encrypted field."""
