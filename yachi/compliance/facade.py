"""What other contexts may use of compliance: encrypted fields and blind-index lookups.

A model declares ``EncryptedTextField`` / ``EncryptedCharField`` (with a
``BlindIndexField`` where it must be found by the value) and looks rows up with
``blind_index(purpose, value)``. Keys and rotation stay inside this context.
"""

from yachi.compliance.blindindex import blind_index
from yachi.compliance.errors import EncryptedLookupRefused, EncryptionError
from yachi.compliance.fields import BlindIndexField, EncryptedCharField, EncryptedTextField

__all__ = [
    "BlindIndexField",
    "EncryptedCharField",
    "EncryptedLookupRefused",
    "EncryptedTextField",
    "EncryptionError",
    "blind_index",
]
