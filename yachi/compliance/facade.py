"""What other contexts may use of compliance: encrypted fields, blind-index lookups and
the audit trail.

A model declares ``EncryptedTextField`` / ``EncryptedCharField`` (with a
``BlindIndexField`` where it must be found by the value) and looks rows up with
``blind_index(purpose, value)``. Keys and rotation stay inside this context.
"""

from yachi.compliance.audit import audit_record
from yachi.compliance.blindindex import blind_index
from yachi.compliance.envelope import decrypt_bytes, encrypt_bytes
from yachi.compliance.errors import EncryptedLookupRefused, EncryptionError
from yachi.compliance.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from yachi.compliance.models import AuditAction

__all__ = [
    "AuditAction",
    "BlindIndexField",
    "EncryptedCharField",
    "EncryptedLookupRefused",
    "EncryptedTextField",
    "EncryptionError",
    "audit_record",
    "blind_index",
    "decrypt_bytes",
    "encrypt_bytes",
]
