"""A database of the test database's engine standing in for it during one migration test.

A test of a data migration needs the tables as they were before it. Migrating the test
database itself back and forth has two costs. One is CPU: going back unapplies every
later migration of every context that builds on that point, and the test must then
migrate them all forward again for the tests after it (over thirty seconds of CPU for
one such test, growing with every context added). The other is isolation: a test stopped
half-way (its timeout on a busy machine) left the test database at an old schema, and
every later test of that process failed on it.

So such a test migrates a database of its own: ``empty_database()``, a new, empty one,
migrated forward by the test (``migrate_to``) to the point before (only the few dozen
migrations that point depends on), as a clinic upgrading from that release has it. The
test writes the rows of that release through its historical models, migrates forward, and
reads them back through the models of the point after.

Inside it, the connection ``default`` is that database (a file beside the test
database on SQLite, a database of the same PostgreSQL server named after the test
database), so that the migrations' own data steps, which use ``default``, run on it;
afterwards the test database's connection is put back, untouched, and the other database
is removed. Tests using them commit for real (``transaction=True``).
"""

import contextlib
import copy
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from tests.db import templates


def migrate_to(targets: list[tuple[str, str]]):
    """Migrate ``default`` to ``targets``; the historical models (apps) of that point."""
    executor = MigrationExecutor(connections["default"])
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@contextlib.contextmanager
def empty_database():
    original = connections["default"]
    if original.in_atomic_block:
        raise RuntimeError("a database of its own is for tests that commit (transaction=True)")
    settings = copy.deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        path = Path(original.settings_dict["NAME"]).with_name("scratch.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        settings["NAME"] = str(path)
    else:
        name = f"{original.settings_dict['NAME']}_scratch"
        with templates._maintenance(original) as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
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
