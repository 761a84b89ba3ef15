"""Model fields that keep their values encrypted at rest.

``EncryptedTextField`` and ``EncryptedCharField`` hold plaintext on the instance and
SM4-GCM ciphertext in the column (``envelope.py``); ``EncryptedDateField``,
``EncryptedDecimalField`` and ``EncryptedJSONField`` hold a date, a ``Decimal`` or a
JSON value, sealed as its text. ``None`` stays NULL and ``""`` stays ``""``. Ciphertext
is random, so the database cannot compare, sort or search it: every lookup but
``isnull`` is refused, and so is ordering by such a field (``EncryptedQuerySet``, which
the system checks make every model with one use). To find rows by an encrypted value,
add a ``BlindIndexField`` next to it and filter on that::

    phone = EncryptedCharField(max_length=11)
    phone_index = BlindIndexField(source="phone", purpose="phone",
                                  normalize="yachi.accounts.phones.normalize_phone")

    Person.objects.filter(phone_index=blind_index("phone", "13800000001"))
    Person.objects.filter(phone_index__matches="138 0000 0001")  # normalized, as a search

The index is filled in ``pre_save``, so ``save()`` and ``bulk_create()`` keep it right.
``QuerySet.update()``, ``bulk_update()`` and ``save(update_fields=...)`` do not call
``pre_save`` for it: whoever changes the source that way must set the index too
(``update(phone=p, phone_index=blind_index("phone", p))``).

A value is bound to its model and field name; renaming either needs ``context=`` with
the old ``app_label.model_name.field_name`` or a re-encryption of the column.
"""

import json
from decimal import Decimal

from django.apps import apps as global_apps
from django.core import checks
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import DataError, models
from django.db.models import F, OrderBy
from django.db.models.lookups import Exact
from django.db.models.query_utils import DeferredAttribute

from yachi.compliance import blindindex, envelope
from yachi.compliance.errors import EncryptedLookupRefused
from yachi.core.errors import DomainError

_SEALED = "_sealed_values"


class SealedAttribute(DeferredAttribute):
    """An encrypted field's attribute: a value handed over still sealed (``open_on_read``)
    is decrypted when it is first read, so a request that never reads it never pays for
    it; a value neither loaded nor handed over loads from the database, as Django's."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        data = instance.__dict__
        name = self.field.attname
        if name not in data:
            sealed = data.get(_SEALED)
            if sealed is not None and name in sealed:
                data[name] = self.field.from_db_value(sealed[name], None, None)
        return super().__get__(instance, cls)


def open_on_read(instance, sealed: dict) -> None:
    """Hand ``instance`` the sealed column values of its encrypted fields (by attname),
    left out when it was built (``Model.from_db`` without them): each is decrypted on its
    first read. They count as deferred fields, so ``save()`` writes only what was read
    or set."""
    instance.__dict__[_SEALED] = sealed


class EncryptedFieldMixin:
    """Seals a field's value as text; a typed field says how its value reads as text."""

    descriptor_class = SealedAttribute

    def __init__(self, *args, context: str | None = None, **kwargs):
        # Not "context": DecimalField keeps its decimal context under that name.
        self.fixed_context = context
        super().__init__(*args, **kwargs)

    @property
    def encryption_context(self) -> str:
        """What the ciphertext is bound to: ``app_label.model_name.field_name``."""
        return self.fixed_context or f"{self.model._meta.label_lower}.{self.name}"

    def get_internal_type(self) -> str:
        # Ciphertext is longer than the plaintext it holds, whatever max_length says.
        return "TextField"

    def to_text(self, value) -> str:
        return str(value)

    def from_text(self, text: str):
        return self.to_python(text)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return envelope.encrypt(self.to_text(value), context=self.encryption_context)

    def get_db_prep_value(self, value, connection, prepared=False):
        # The column holds text whatever the type: no date, decimal or JSON adapter
        # of the database may touch the ciphertext.
        return value if prepared else self.get_prep_value(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.from_text(envelope.decrypt(value, context=self.encryption_context))

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
        if self.fixed_context:
            kwargs["context"] = self.fixed_context
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
        ordering = [str(item).lstrip("-") for item in self.model._meta.ordering or ()]
        if self.name in ordering or self.attname in ordering:
            errors.append(
                checks.Error(
                    "A model cannot be ordered by an encrypted field: the database would "
                    "sort the ciphertext, which is random.",
                    hint="Order by another field, or sort in Python after reading.",
                    obj=self,
                    id="compliance.E003",
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


class EncryptedDateField(EncryptedFieldMixin, models.DateField):
    """A date, sealed as its ISO text (``2019-05-01``)."""

    description = "Date, encrypted with SM4"

    def to_text(self, value) -> str:
        return value.isoformat()


class EncryptedDecimalField(EncryptedFieldMixin, models.DecimalField):
    """A ``Decimal`` rounded to ``decimal_places``, sealed as its fixed-point text."""

    description = "Decimal number, encrypted with SM4"

    def to_text(self, value) -> str:
        return format(value.quantize(Decimal(1).scaleb(-self.decimal_places)), "f")


class EncryptedJSONField(EncryptedFieldMixin, models.JSONField):
    """A JSON value (a dict of message parameters), sealed as its JSON text."""

    description = "JSON, encrypted with SM4"

    def to_text(self, value) -> str:
        return json.dumps(value, cls=self.encoder, ensure_ascii=False, separators=(",", ":"))

    def from_text(self, text: str):
        return json.loads(text, cls=self.decoder)


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


# Refused terms never reach the database as a value any index could hold.
_NO_MATCH = object()


@BlindIndexField.register_lookup
class BlindIndexMatches(Exact):
    """``phone_index__matches="138 0000 0001"``: the rows whose source equals the term.

    The term is normalized and indexed as the field's purpose says, so this is what an
    admin search uses (``search_fields = ["phone_index__matches"]``). A term that the
    normalization refuses (not a mobile number) matches no row instead of failing.
    """

    lookup_name = "matches"

    def get_prep_lookup(self):
        try:
            return blindindex.blind_index(self.lhs.output_field.purpose, self.rhs)
        except DomainError:
            return _NO_MATCH

    def as_sql(self, compiler, connection):
        if self.rhs is _NO_MATCH:
            raise EmptyResultSet
        return super().as_sql(compiler, connection)

    def get_rhs_op(self, connection, rhs):
        return connection.operators["exact"] % rhs


def refers_to_encrypted(model, path: str) -> bool:
    """Whether ``path`` (``name``, ``-patient__name``, ``^owner__phone``) ends on an
    encrypted field, following relations from ``model``."""
    field = None
    for part in path.lstrip("-^=@").split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup, a transform or an annotation: not one of our columns
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return isinstance(field, EncryptedFieldMixin)


class EncryptedQuerySet(models.QuerySet):
    """The queryset of every model with encrypted fields: ordering by one is refused.

    The database would sort the ciphertext, which is random, and give a wrong order
    without any error; sort in Python after reading instead. A system check makes
    every such model use this queryset (``checks.py``).
    """

    def order_by(self, *field_names):
        for item in field_names:
            if isinstance(item, OrderBy):
                item = item.expression
            name = item.name if isinstance(item, F) else item
            if isinstance(name, str) and refers_to_encrypted(self.model, name):
                raise EncryptedLookupRefused(
                    f"{self.model._meta.label_lower}: '{name}' is encrypted, so the database "
                    "cannot sort by it; sort in Python after reading."
                )
        return super().order_by(*field_names)
