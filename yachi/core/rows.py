"""One model's row inserted by a statement written once, for a hot path (ADR 0035).

For a small row the ORM's ``create()`` costs more in Python than the database spends on
the insert: a model instance, the compiler, every field's preparation, a savepoint's
bookkeeping. ``Insert`` does that work once per model: the column list and the SQL text
are made when first used, the values a row does not name are its fields' constant
defaults, prepared once per database; a row is then a plain tuple of its values.

What is written is what ``create()`` would write: every column of the model is listed
(a column added later takes its default without touching the callers), and each value
named by the caller still goes through its field's ``get_db_prep_save`` — encrypted
fields are sealed, UUIDs and datetimes take the form the engine stores. A field whose
default is computed (``uuid4``, ``auto_now``) must be named: a constant cannot stand in
for it.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Fields whose value psycopg adapts exactly as the field would prepare it (an int, a str,
# a UUID, an aware datetime): on PostgreSQL their values go in as they are.
_PLAIN = {
    models.BooleanField,
    models.CharField,
    models.SlugField,
    models.IntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.UUIDField,
    models.DateTimeField,
    models.ForeignKey,
    models.OneToOneField,
}


class Insert:
    """``INSERT INTO`` the table of ``model``, every concrete column but the key.

    ``given``: the attnames (``buyer_id``, not ``buyer``) a caller names per row.

    On PostgreSQL the constant values are written into the statement as literals
    (quoted by psycopg, through ``compose_sql``), so that only the given ones are
    parameters: psycopg converts a statement of at most 50 parameters (and 4 KiB) once
    and then remembers it, where a longer one is parsed again on every execution.
    """

    def __init__(self, model, *, given: tuple[str, ...]):
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        by_name = {f.attname: f for f in fields}
        unknown = set(given) - set(by_name)
        if unknown:
            raise ImproperlyConfigured(f"{model.__name__} has no column {sorted(unknown)}")
        for field in fields:
            if field.attname in given:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                raise ImproperlyConfigured(f"{model.__name__}.{field.attname} must be given")
            if field.has_default() and callable(field.default):
                raise ImproperlyConfigured(f"{model.__name__}.{field.attname} must be given")
            if not field.has_default() and not field.null and not field.empty_strings_allowed:
                raise ImproperlyConfigured(f"{model.__name__}.{field.attname} has no default")
        self.fields = fields
        self.given = given
        self._given = [(f.attname, f, type(f) in _PLAIN) for f in fields if f.attname in given]
        self._constants: dict[str, list] = {}
        self._statements: dict[tuple, str] = {}
        self._defaults: dict | None = None

    def sql(
        self, connection, *, expressions: dict[str, str] | None = None, returning: str = ""
    ) -> str:
        """The statement with a ``%s`` per parameter; ``expressions`` puts SQL (another
        statement's result, in a ``WITH``) in place of named columns' values."""
        key = (connection.alias, tuple(sorted((expressions or {}).items())), returning)
        found = self._statements.get(key)
        if found is None:
            found = self._statements[key] = self._sql(connection, expressions or {}, returning)
        return found

    def _sql(self, connection, expressions: dict[str, str], returning: str) -> str:
        inline = _inlines(connection)
        constants = self._prepared_constants(connection)
        values = []
        for field, constant in zip(self.fields, constants, strict=True):
            if field.attname in expressions:
                values.append(expressions[field.attname])
            elif inline and field.attname not in self.given:
                literal = connection.ops.compose_sql("%s", [constant])
                values.append(literal.replace("%", "%%"))
            else:
                values.append("%s")
        columns = ", ".join(f'"{f.column}"' for f in self.fields)
        tail = f" RETURNING {returning}" if returning else ""
        # Names come from the model and literals from its defaults, never from data.
        return (
            f'INSERT INTO "{self.model._meta.db_table}" ({columns})'  # noqa: S608
            f" VALUES ({', '.join(values)}){tail}"
        )

    def params(self, connection, row: dict, *, leave_out: tuple[str, ...] = ()) -> list:
        """The parameters of ``sql()`` for ``row``, prepared for ``connection``; the
        columns in ``leave_out`` (those given by ``expressions``) take none."""
        if _inlines(connection):
            return [
                row[name] if plain else field.get_db_prep_save(row[name], connection)
                for name, field, plain in self._given
                if name not in leave_out
            ]
        values = list(self._prepared_constants(connection))
        for i, field in enumerate(self.fields):
            if field.attname in self.given:
                values[i] = field.get_db_prep_save(row[field.attname], connection)
        return [v for f, v in zip(self.fields, values, strict=True) if f.attname not in leave_out]

    def built(self, connection, row: dict, pk):
        """The model instance of ``row`` as written with key ``pk``, as a read of it
        would build it (``Model.from_db``), without reading it back."""
        defaults = self._defaults
        if defaults is None:
            defaults = self._defaults = {
                f.attname: f.get_default() for f in self.fields if f.attname not in self.given
            }
        values = [
            pk if f.primary_key else row[f.attname] if f.attname in row else defaults[f.attname]
            for f in self.model._meta.concrete_fields
        ]
        return self.model.from_db(connection.alias, None, values)

    def _prepared_constants(self, connection) -> list:
        found = self._constants.get(connection.alias)
        if found is None:
            found = [
                None if f.attname in self.given else f.get_db_prep_save(f.get_default(), connection)
                for f in self.fields
            ]
            self._constants[connection.alias] = found
        return found


def _inlines(connection) -> bool:
    return connection.vendor == "postgresql"
