"""Model fields that keep their values encrypted at rest.

``EncryptedTextField`` and ``EncryptedCharField`` hold plaintext on the instance and
SM4-GCM ciphertext in the column (``envelope.py``). ``None`` stays NULL and ``""``
stays ``""``. Ciphertext is random, so the database cannot compare, sort or search it:
every lookup but ``isnull`` is refused. To find rows by an encrypted value, add a
``BlindIndexField`` next to it and filter on that::

    phone = EncryptedCharField(max_length=11)
    phone_index = BlindIndexField(source="phone", purpose="phone",
                                  normalize="yachi.accounts.phones.normalize_phone")

    Person.objects.filter(phone_index=blind_index("phone", "13800000001"))

The index is filled in ``pre_save``, so ``save()`` and ``bulk_create()`` keep it right.
``QuerySet.update()``, ``bulk_update()`` and ``save(update_fields=...)`` do not call
``pre_save`` for it: whoever changes the source that way must set the index too
(``update(phone=p, phone_index=blind_index("phone", p))``).

A value is bound to its model and field name; renaming either needs ``context=`` with
the old ``app_label.model_name.field_name`` or a re-encryption of the column.
"""

from django.apps import apps as global_apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import DataError, models

from yachi.compliance import blindindex, envelope
from yachi.compliance.errors import EncryptedLookupRefused


class EncryptedFieldMixin:
    def __init__(self, *args, context: str | None = None, **kwargs):
        self.context = context
        super().__init__(*args, **kwargs)

    @property
    def encryption_context(self) -> str:
        """What the ciphertext is bound to: ``app_label.model_name.field_name``."""
        return self.context or f"{self.model._meta.label_lower}.{self.name}"

    def get_internal_type(self) -> str:
        # Ciphertext is longer than the plaintext it holds, whatever max_length says.
        return "TextField"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return envelope.encrypt(value, context=self.encryption_context)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return envelope.decrypt(value, context=self.encryption_context)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise self._refused(lookup_name)

    def get_transform(self, lookup_name):
        raise self._refused(lookup_name)

    def _refused(self, lookup_name: str) -> EncryptedLookupRefused:
        return EncryptedLookupRefused(
            f"{self.encryption_context} is encrypted, so the database cannot evaluate "
            f"'{lookup_name}' on it (only 'isnull'). Find rows by an encrypted value "
            "through a BlindIndexField and blind_index()."
        )

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.context:
            kwargs["context"] = self.context
        return name, path, args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique or self.db_index:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be unique or indexed: equal values have "
                    "different ciphertexts.",
                    hint="Put unique=True on a BlindIndexField of this field instead.",
                    obj=self,
                    id="compliance.E001",
                )
            )
        return errors


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    description = "Text, encrypted with SM4"


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    """``max_length`` limits the plaintext; the column is text, so the field checks it."""

    description = "String (up to %(max_length)s), encrypted with SM4"

    def get_prep_value(self, value):
        if value is not None and self.max_length is not None and len(str(value)) > self.max_length:
            raise DataError(
                f"{self.encryption_context}: value longer than max_length={self.max_length}"
            )
        return super().get_prep_value(value)


class BlindIndexField(models.CharField):
    """HMAC-SM3 of another field's value, for equality lookups (``blindindex.py``)."""

    description = "Blind index of an encrypted field"

    def __init__(self, *args, source: str, purpose: str, normalize=None, **kwargs):
        self.source, self.purpose, self.normalize = source, purpose, normalize
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only)
        # Historical models of migrations may carry an older normalization: only the
        # models the application runs with define what a purpose means.
        if cls._meta.apps is global_apps:
            blindindex.register(
                purpose=self.purpose, normalize=self.normalize, owner=f"{cls._meta.label}.{name}"
            )

    def pre_save(self, model_instance, add):
        index = blindindex.blind_index(self.purpose, getattr(model_instance, self.source))
        setattr(model_instance, self.attname, index)
        return index

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, purpose=self.purpose)
        if self.normalize is not None:
            kwargs["normalize"] = self.normalize
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        # Written only where they differ from this field's defaults (not Field's).
        kwargs.pop("editable", None)
        kwargs.pop("db_index", None)
        if self.editable:
            kwargs["editable"] = True
        if not self.db_index:
            kwargs["db_index"] = False
        return name, path, args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        try:
            self.model._meta.get_field(self.source)
        except FieldDoesNotExist:
            errors.append(
                checks.Error(
                    f"The source {self.source!r} of this blind index is not a field of "
                    f"{self.model._meta.label}.",
                    obj=self,
                    id="compliance.E002",
                )
            )
        return errors
