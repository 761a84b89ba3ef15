"""A database of the test database's engine standing in for it during one migration test.

A test of a data migration needs the tables as they were before it. Migrating the test
database itself back and forth has two costs. One is CPU: going back unapplies every
later migration of every context that builds on that point, and the test must then
migrate them all forward again for the tests after it (over thirty seconds of CPU for
one such test, growing with every context added). The other is isolation: a test stopped
half-way (its timeout on a busy machine) left the test database at an old schema, and
every later test of that process failed on it.

So such a test migrates a database of its own:

- ``empty_database()``: a new, empty one, migrated forward by the test to the point
  before (only the few dozen migrations that point depends on), as a clinic upgrading from
  that release has it;
- ``copy_of_the_test_database()``: a copy of the test database as the test has filled
  it (at the latest schema), for tests that write rows through today's code and then
  migrate back and forth.

Inside either, the connection ``default`` is that database (a file beside the test
database on SQLite, a database of the same PostgreSQL server named after the test
database), so that the migrations' own data steps, which use ``default``, run on it;
afterwards the test database's connection is put back, untouched, and the other database
is removed. Tests using them commit for real (``transaction=True``).
"""

import contextlib
import copy
import sqlite3
import time
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connections

from tests.db import templates


@contextlib.contextmanager
def empty_database():
    with _standing_in(copy_of=False) as scratch:
        yield scratch


@contextlib.contextmanager
def copy_of_the_test_database():
    with _standing_in(copy_of=True) as scratch:
        yield scratch


@contextlib.contextmanager
def _standing_in(*, copy_of: bool):
    original = connections["default"]
    if original.in_atomic_block:
        raise RuntimeError("a database of its own is for tests that commit (transaction=True)")
    settings = copy.deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        path = Path(original.settings_dict["NAME"]).with_name("scratch.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if copy_of:
            original.ensure_connection()
            with contextlib.closing(sqlite3.connect(path)) as target:
                original.connection.backup(target)
        settings["NAME"] = str(path)
    else:
        import psycopg

        name = f"{original.settings_dict['NAME']}_scratch"
        source = original.settings_dict["NAME"] if copy_of else "template0"
        # Nothing may be connected to a database that is copied: this process's own
        # connection is closed, and any others left on its test database (a live server's
        # threads, processes an earlier test started) are ended.
        templates._disconnect(original)
        with templates._maintenance(original) as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for attempt in range(5):
                if copy_of:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = %s AND pid <> pg_backend_pid()",
                        [source],
                    )
                try:
                    cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
                    break
                except psycopg.errors.ObjectInUse:
                    if attempt == 4:
                        raise
                    time.sleep(0.2)
        settings["NAME"] = name
        settings.get("OPTIONS", {}).pop("pool", None)  # one connection, closed at the end
    scratch = original.__class__(settings, "default")
    connections["default"] = scratch
    try:
        yield scratch
    finally:
        scratch.close()
        connections["default"] = original
        # What the process remembers of rows it read there (content types, data keys).
        ContentType.objects.clear_cache()
        from yachi.compliance.envelope import reset_caches

        reset_caches()
        if original.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{settings['NAME']}{suffix}").unlink(missing_ok=True)
        else:
            with templates._maintenance(original) as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}" WITH (FORCE)')
