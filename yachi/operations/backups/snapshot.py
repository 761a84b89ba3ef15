"""Consistent copies of the database while it serves, and what they hold.

SQLite: the online backup API copies the database in one step under a read
transaction; in WAL mode writers go on meanwhile and the copy is the database as it was
when the step began. PostgreSQL: a repeatable-read transaction exports its snapshot,
``pg_dump`` (custom format) dumps exactly that snapshot, and the same transaction counts
the rows and reads the applied migrations, so the manifest describes the dump and not
the database a moment later.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from psycopg import sql

DUMP_NAME = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
HEAD_TABLE = "compliance_audithead"


@dataclass(frozen=True)
class Snapshot:
    vendor: str
    path: Path
    counts: dict[str, int]
    migrations: list[tuple[str, str]]
    # How many audit checkpoints the snapshot's head counts (0 without an audit trail).
    checkpoints_counted: int = 0


class SnapshotFailed(Exception):
    pass


def vendor() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise SnapshotFailed(f"backups support SQLite and PostgreSQL, not {engine}")


def snapshot_take(directory: Path) -> Snapshot:
    if vendor() == "sqlite":
        return _sqlite_snapshot(directory / DUMP_NAME["sqlite"])
    return _postgres_snapshot(directory / DUMP_NAME["postgresql"])


# --- SQLite ------------------------------------------------------------------------------


def _sqlite_snapshot(path: Path) -> Snapshot:
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=30)
    target = sqlite3.connect(path)
    try:
        source.backup(target)  # one step: the whole database as of one moment
    finally:
        source.close()
    try:
        target.execute("PRAGMA journal_mode=DELETE")
        counts, migrations = sqlite_contents(target)
        counted = _checkpoints_counted(target, counts)
    finally:
        target.close()
    return Snapshot("sqlite", path, counts, migrations, counted)


def sqlite_contents(connection) -> tuple[dict[str, int], list[tuple[str, str]]]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {
        table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in tables
    }
    migrations = []
    if "django_migrations" in counts:
        migrations = [
            (app, name)
            for app, name in connection.execute("SELECT app, name FROM django_migrations")
        ]
    return counts, sorted(migrations)


# --- PostgreSQL ------------------------------------------------------------------------------


def postgres_conninfo() -> dict:
    database = settings.DATABASES["default"]
    info = {
        "dbname": database["NAME"],
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": str(database["PORT"]) if database.get("PORT") else None,
    }
    return {key: value for key, value in info.items() if value}


def postgres_environment() -> dict:
    """The client tools' connection, by their variables: no password on a command line."""
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD"}
    names |= {"host": "PGHOST", "port": "PGPORT"}
    return {**os.environ, **{names[key]: value for key, value in postgres_conninfo().items()}}


def postgres_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: ``YACHI_PG_BIN_DIR``'s, else the first on PATH."""
    directory = settings.YACHI_PG_BIN_DIR
    found = str(Path(directory) / name) if directory else shutil.which(name)
    if not found or not Path(found).exists():
        raise SnapshotFailed(
            f"{name} is not installed (PostgreSQL's client tools; Debian: postgresql-client)"
        )
    return found


def _postgres_snapshot(path: Path) -> Snapshot:
    with psycopg.connect(**postgres_conninfo(), autocommit=True) as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        (snapshot_id,) = connection.execute("SELECT pg_export_snapshot()").fetchone()
        dumped = subprocess.run(  # noqa: S603 (a fixed program, arguments we built)
            [
                postgres_tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot_id}",
                f"--file={path}",
            ],
            env=postgres_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if dumped.returncode:
            raise SnapshotFailed(f"pg_dump failed: {dumped.stderr.strip()}")
        counts, migrations = postgres_contents(connection)
        counted = _checkpoints_counted(connection, counts)
        connection.execute("COMMIT")
    return Snapshot("postgresql", path, counts, migrations, counted)


def _checkpoints_counted(connection, counts: dict[str, int]) -> int:
    if not counts.get(HEAD_TABLE):
        return 0
    row = connection.execute(f"SELECT max(checkpoint_count) FROM {HEAD_TABLE}").fetchone()  # noqa: S608
    return int(row[0] or 0)


def postgres_contents(connection) -> tuple[dict[str, int], list[tuple[str, str]]]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    ]
    counts = {
        table: connection.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        for table in tables
    }
    migrations = []
    if "django_migrations" in counts:
        migrations = [
            (app, name)
            for app, name in connection.execute("SELECT app, name FROM django_migrations")
        ]
    return counts, sorted(migrations)
