"""Encrypting the values already in a column, for the migration that makes it encrypted.

The migration first turns the column into text (``AlterField`` to an encrypted field),
then calls ``encrypt_columns`` from ``RunPython``; its reverse calls
``decrypt_columns`` before the column gets its old type back. Rows are read and
written with plain SQL in batches by primary key, so a large table is never held in
memory and the historical models are not needed. A value that is already a
ciphertext is left alone, so running it again (after an interrupted run) is harmless.

On PostgreSQL each updated row queues a deferred foreign-key check, and a check still
pending makes the migration's later ``ALTER TABLE`` or ``CREATE INDEX`` fail ("pending
trigger events"); both functions therefore check constraints at once for the rest of
the migration's transaction.

``columns`` maps each column to its encryption context (``app_label.model_name.field``,
as the field computes it); ``text`` maps a column to the function that spells a raw
database value the way the field spells it (a date as ISO text, a decimal with its
places); ``indexes`` maps a blind-index column to ``(purpose, source column)``, filled
from the plaintext in the same pass.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from yachi.compliance import envelope
from yachi.compliance.blindindex import blind_index

BATCH = 1000


def encrypt_columns(
    schema_editor,
    *,
    table: str,
    columns: dict[str, str],
    text: dict[str, Callable[[object], str]] | None = None,
    indexes: dict[str, tuple[str, str]] | None = None,
) -> int:
    """Encrypt every plaintext value of ``columns``; how many rows changed."""
    _constraints_at_once(schema_editor)
    text, indexes = text or {}, indexes or {}

    def seal(column: str, raw):
        if raw is None or raw == "" or _sealed(raw):
            return raw
        spelled = text[column](raw) if column in text else str(raw)
        return envelope.encrypt(spelled, context=columns[column])

    names = list(columns)
    changed = 0
    for pk, values in _rows(schema_editor, table, names):
        row = dict(zip(names, values, strict=True))
        if all(value is None or value == "" or _sealed(value) for value in values):
            continue
        updates = {column: seal(column, row[column]) for column in names}
        for index_column, (purpose, source) in indexes.items():
            if not _sealed(row[source]):
                updates[index_column] = blind_index(purpose, row[source])
        _update(schema_editor, table, pk, updates)
        changed += 1
    return changed


def decrypt_columns(schema_editor, *, table: str, columns: dict[str, str]) -> int:
    """Put every encrypted value of ``columns`` back in clear; how many rows changed."""
    _constraints_at_once(schema_editor)
    names = list(columns)
    changed = 0
    for pk, values in _rows(schema_editor, table, names):
        if not any(_sealed(value) for value in values):
            continue
        updates = {
            column: envelope.decrypt(value, context=columns[column]) if _sealed(value) else value
            for column, value in zip(names, values, strict=True)
        }
        _update(schema_editor, table, pk, updates)
        changed += 1
    return changed


def iso_date(raw) -> str:
    """A date column's value as ISO text, whether the driver gives a date or text."""
    return raw.isoformat() if isinstance(raw, date) else date.fromisoformat(str(raw)).isoformat()


def fixed_point(places: int) -> Callable[[object], str]:
    """A decimal column's value with exactly ``places`` decimals (SQLite may give a float)."""
    quantum = Decimal(1).scaleb(-places)

    def spell(raw) -> str:
        return format(Decimal(str(raw)).quantize(quantum), "f")

    return spell


def _constraints_at_once(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _sealed(value) -> bool:
    return isinstance(value, str) and value.startswith(envelope.PREFIX)


# Table and column names come from the migration's own code, quoted; values are
# always parameters.


def _rows(schema_editor, table: str, names: list[str]):
    quote = schema_editor.connection.ops.quote_name
    selected = ", ".join(quote(name) for name in names)
    last = None
    with schema_editor.connection.cursor() as cursor:
        while True:
            where, params = ("WHERE id > %s ", [last]) if last is not None else ("", [])
            cursor.execute(
                f"SELECT id, {selected} FROM {quote(table)} {where}ORDER BY id LIMIT {BATCH}",  # noqa: S608
                params,
            )
            batch = cursor.fetchall()
            if not batch:
                return
            for pk, *values in batch:
                yield pk, values
            last = batch[-1][0]


def _update(schema_editor, table: str, pk, updates: dict) -> None:
    quote = schema_editor.connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in updates)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
            [*updates.values(), pk],
        )
