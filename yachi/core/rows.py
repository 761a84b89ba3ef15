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


class Insert:
    """``INSERT INTO`` the table of ``model``, every concrete column but the key.

    ``given``: the attnames (``buyer_id``, not ``buyer``) a caller names per row.
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
        self._positions = [(i, f.attname) for i, f in enumerate(fields) if f.attname in given]
        self._constants: dict[str, list] = {}
        self._statements: dict[tuple, str] = {}

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def sql(self, *, expressions: dict[str, str] | None = None, returning: str = "") -> str:
        """The statement with a ``%s`` per value; ``expressions`` puts SQL (another
        statement's result, in a ``WITH``) in place of named columns' values."""
        key = (tuple(sorted((expressions or {}).items())), returning)
        found = self._statements.get(key)
        if found is None:
            found = self._statements[key] = self._sql(expressions or {}, returning)
        return found

    def _sql(self, expressions: dict[str, str], returning: str) -> str:
        columns = ", ".join(f'"{f.column}"' for f in self.fields)
        values = ", ".join(expressions.get(f.attname, "%s") for f in self.fields)
        tail = f" RETURNING {returning}" if returning else ""
        # Names come from the model, never from data.
        return f'INSERT INTO "{self.table}" ({columns}) VALUES ({values}){tail}'  # noqa: S608

    def params(self, connection, row: dict, *, leave_out: tuple[str, ...] = ()) -> list:
        """The row's values in column order, prepared for ``connection``; the columns in
        ``leave_out`` (those given by ``expressions``) take no value here."""
        values = list(self._prepared_constants(connection))
        fields = self.fields
        for i, name in self._positions:
            values[i] = fields[i].get_db_prep_save(row[name], connection)
        if leave_out:
            return [v for f, v in zip(fields, values, strict=True) if f.attname not in leave_out]
        return values

    def _prepared_constants(self, connection) -> list:
        found = self._constants.get(connection.alias)
        if found is None:
            found = [
                None if f.attname in self.given else f.get_db_prep_save(f.get_default(), connection)
                for f in self.fields
            ]
            self._constants[connection.alias] = found
        return found
