"""The rows one build of the shared world wrote, kept beside the test database and put
back instead of building the world again.

A test that commits for real gets its own world, since the flush after the one before
it deleted everything: built through the factories and services, that is about 60 ms of
CPU on SQLite and 90 ms on PostgreSQL (with its server's share), for the same rows each
time. So the first such build in a process is copied, table by table and verbatim, into
a snapshot (a schema of the PostgreSQL test database, an attached file next to the
SQLite one), and later ones copy those rows back in one statement a table. Caches, the
job queue and the outbox see nothing of it — as with the world the rolled-back tests
share, built once before them.
"""

import contextlib
import copy
import os

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from tests.db.management.commands.flush import KEPT

SCHEMA = "world_snapshot"

# What was taken in this process: the tables copied, and the objects built with the rows.
_taken: dict = {}


def _tables() -> list[str]:
    names = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return [name for name in sorted(names) if name not in KEPT]


def _models(tables: list[str]) -> list:
    wanted = set(tables)
    return [model for model in apps.get_models() if model._meta.db_table in wanted]


def _filled(tables: list[str]) -> list[str]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        filled = []
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
            if cursor.fetchone()[0]:
                filled.append(table)
    return filled


@contextlib.contextmanager
def _attached(cursor, *, fresh: bool = False):
    """SQLite: the snapshot file attached to this connection for a moment."""
    path = os.path.join(os.path.dirname(connection.settings_dict["NAME"]), f"{SCHEMA}.sqlite3")
    if fresh and os.path.exists(path):
        os.remove(path)
    cursor.execute(f"ATTACH DATABASE %s AS {SCHEMA}", [path])
    try:
        yield
    finally:
        cursor.execute(f"DETACH DATABASE {SCHEMA}")


def empty() -> bool:
    """Whether the database holds nothing a world could be built on top of."""
    return not _filled(_tables())


def _take() -> list[str] | None:
    """Copy the rows in the database (a world just built on an empty one) into the
    snapshot; the tables copied, or None where this engine is not handled."""
    if connection.vendor not in ("sqlite", "postgresql") or connection.in_atomic_block:
        return None
    quote = connection.ops.quote_name
    tables = _filled(_tables())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SCHEMA}")
            for table in tables:
                cursor.execute(
                    f"CREATE TABLE {SCHEMA}.{quote(table)} AS SELECT * FROM {quote(table)}"
                )
        else:
            with _attached(cursor, fresh=True):
                for table in tables:
                    cursor.execute(
                        f"CREATE TABLE {SCHEMA}.{quote(table)} AS SELECT * FROM main.{quote(table)}"
                    )
    return tables


def _restore(tables: list[str]) -> bool:
    """Put the snapshot's rows back as they were written, in the order they were (on
    PostgreSQL without the triggers, which checked them when they were first written).
    False if it cannot be done here and now."""
    if connection.in_atomic_block:
        return False
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
                for table in tables:
                    cursor.execute(
                        f"INSERT INTO {quote(table)} SELECT * FROM {SCHEMA}.{quote(table)}"
                    )
                # A table made again since (a migration test going back and forth) counts
                # its ids from 1: each sequence goes past the ids put back.
                for statement in connection.ops.sequence_reset_sql(no_style(), _models(tables)):
                    cursor.execute(statement)
        else:
            with _attached(cursor), transaction.atomic():
                for table in tables:
                    cursor.execute(
                        f"INSERT INTO main.{quote(table)} SELECT * FROM {SCHEMA}.{quote(table)} ORDER BY rowid"
                    )
    return True


def take(built) -> None:
    """Keep the rows now in the database, and a copy of ``built``, the objects they were
    written for (as they are now, before a test changes them)."""
    tables = _take()
    if tables is not None:
        _taken.update(tables=tables, built=copy.deepcopy(built))


def restore():
    """The rows taken put back, and a fresh copy of the objects; None if nothing was
    taken in this process or it cannot be put back now."""
    if "tables" not in _taken or not _restore(_taken["tables"]):
        return None
    return copy.deepcopy(_taken["built"])


def forget() -> None:
    """After a flush that starts the ids again: the rows taken would take new rows' ids."""
    _taken.clear()
