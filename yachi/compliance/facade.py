"""What other contexts may use of compliance: encrypted fields, blind-index lookups and
the audit trail.

A model declares ``EncryptedTextField`` / ``EncryptedCharField`` (or the typed
``EncryptedDateField``, ``EncryptedDecimalField``, ``EncryptedJSONField``), with a
``BlindIndexField`` where it must be found by the value, and looks rows up with
``blind_index(purpose, value)`` or, for a search term, ``<index>__matches``; an index
kept outside a ``BlindIndexField`` (search tokens) registers its purpose with
``register_blind_index``. The
migration that encrypts a column encrypts its existing values with
``encrypt_columns``. Keys and rotation stay inside this context.

Contexts that hold personal data register their part of the download and of the
erasure with ``register_personal_data``; accounts and clinics tell the audit console
who actors are, what a manager sees and the role an actor acted in at a clinic
(``register_actor_lookup``, ``register_audit_scope``, ``register_acting_role``).
The owners of the objects named in the trail and in the points ledger say what they
are for a viewer (``register_object_labels``; ``object_labels``, ``reference_labels``).

Backups (operations) take the installation's keys through ``keys_export`` into a file of
their own, install them again on a restore (``keys_read``, ``keys_install``), check them
against the restored data (``data_keys_check``, ``audit_verify``) and encrypt archives
with ``backup_key``, which is no key of the data (ADR 0039); they keep of the checkpoint
file what the snapshot's audit head counts (``checkpoints_counted``).
"""

from yachi.compliance.audit import audit_record, audit_verify
from yachi.compliance.blindindex import blind_index
from yachi.compliance.blindindex import register as register_blind_index
from yachi.compliance.checkpoints import checkpoints_counted
from yachi.compliance.columns import decrypt_columns, encrypt_columns, fixed_point, iso_date
from yachi.compliance.directory import (
    AuditScope,
    register_acting_role,
    register_actor_lookup,
    register_audit_scope,
)
from yachi.compliance.envelope import data_keys_check, decrypt_bytes, encrypt_bytes
from yachi.compliance.errors import EncryptedLookupRefused, EncryptionError
from yachi.compliance.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedDecimalField,
    EncryptedJSONField,
    EncryptedQuerySet,
    EncryptedTextField,
    open_on_read,
)
from yachi.compliance.keys import backup_key, keys_export, keys_file_write, keys_install, keys_read
from yachi.compliance.models import AuditAction
from yachi.compliance.objects import (
    object_kind,
    object_labels,
    reference_labels,
    register_object_labels,
)
from yachi.compliance.privacy import (
    ErasedPart,
    ExportedPart,
    PersonalDataPart,
    personal_data_erase,
    personal_data_export,
    register_personal_data,
)

__all__ = [
    "AuditAction",
    "AuditScope",
    "BlindIndexField",
    "EncryptedCharField",
    "EncryptedDateField",
    "EncryptedDecimalField",
    "EncryptedJSONField",
    "EncryptedLookupRefused",
    "EncryptedQuerySet",
    "EncryptedTextField",
    "EncryptionError",
    "ErasedPart",
    "ExportedPart",
    "PersonalDataPart",
    "audit_record",
    "audit_verify",
    "backup_key",
    "blind_index",
    "checkpoints_counted",
    "data_keys_check",
    "decrypt_bytes",
    "decrypt_columns",
    "encrypt_bytes",
    "encrypt_columns",
    "fixed_point",
    "iso_date",
    "keys_export",
    "keys_file_write",
    "keys_install",
    "keys_read",
    "object_kind",
    "object_labels",
    "open_on_read",
    "personal_data_erase",
    "personal_data_export",
    "reference_labels",
    "register_acting_role",
    "register_actor_lookup",
    "register_audit_scope",
    "register_blind_index",
    "register_object_labels",
    "register_personal_data",
]
