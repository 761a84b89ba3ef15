"""Test databases made from a migrated template instead of migrating each one.

Migrating an empty database costs several seconds of CPU (most of it Django rendering
the models' state between the data migrations), and each test process (pytest-xdist
worker) needs its own database. So the first process to need one migrates a template,
named after a digest of everything that decides the schema (the project's code and
settings outside the tests, the test-only models, Django's version); every process then
gets a copy of that template. On PostgreSQL the template is a database of the same
server (``CREATE DATABASE … TEMPLATE``), for SQLite a file in the system's temporary
directory. A later run with the same code copies the template it finds; a change to the
code names a new one, and the old ones of this database are removed.

Only one process at a time makes a template or copies it (a lock file), so that nothing
is connected to a template while it is copied.
"""

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(tempfile.gettempdir()) / "yachi-test-templates"
# Templates unused for this long are removed when another is made.
STALE_SECONDS = 2 * 24 * 3600


def schema_digest(vendor: str) -> str:
    """A digest of what decides a migrated test database's contents."""
    import django

    digest = hashlib.sha256(f"{vendor}:{django.get_version()}".encode())
    sources = sorted(
        path
        for folder in ("yachi", "config")
        for path in (ROOT / folder).rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts[:-1] or path.name == "models.py"
    )
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _locked(name: str):
    TEMPLATES.mkdir(exist_ok=True)
    with open(TEMPLATES / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate_into(connection, name: str) -> None:
    """Migrate a new database called ``name`` (as the test database would be), then
    leave the connection's settings as they were."""
    settings_dict = connection.settings_dict
    saved = {**settings_dict, "TEST": dict(settings_dict["TEST"])}
    from django.conf import settings

    saved_global = dict(settings.DATABASES[connection.alias])
    settings_dict["TEST"]["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        _disconnect(connection)
        settings_dict.clear()
        settings_dict.update(saved)
        settings.DATABASES[connection.alias] = saved_global


def _disconnect(connection) -> None:
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()


def prepare(connection) -> bool:
    """Put a migrated copy of the template where ``connection``'s test database goes.
    Returns whether it did (False: this engine is not handled; migrate as usual)."""
    if connection.vendor == "sqlite":
        return _prepare_sqlite(connection)
    if connection.vendor == "postgresql":
        return _prepare_postgresql(connection)
    return False


def discard(connection) -> None:
    """Drop a test database that ``prepare`` made (SQLite's goes with its directory)."""
    if connection.vendor != "postgresql":
        return
    _disconnect(connection)
    name = connection.settings_dict["NAME"]
    with _maintenance(connection) as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- SQLite ---------------------------------------------------------------------------------


def _prepare_sqlite(connection) -> bool:
    target = connection.creation._get_test_db_name()
    if connection.creation.is_in_memory_db(target):
        return False
    key = f"sqlite-{schema_digest('sqlite')}"
    template = TEMPLATES / f"{key}.sqlite3"
    with _locked(key):
        if not template.exists():
            building = TEMPLATES / f"{key}.{os.getpid()}.building"
            _migrate_into(connection, str(building))
            _copy_sqlite(building, template.with_suffix(".part"))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{building}{suffix}").unlink(missing_ok=True)
            template.with_suffix(".part").replace(template)
            _remove_stale(template)
        os.utime(template)
        _copy_sqlite(template, Path(target))
    return True


def _copy_sqlite(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def _remove_stale(keep: Path) -> None:
    now = time.time()
    for path in TEMPLATES.glob("sqlite-*.sqlite3"):
        if path != keep and now - path.stat().st_mtime > STALE_SECONDS:
            path.unlink(missing_ok=True)


# --- PostgreSQL -----------------------------------------------------------------------------


@contextlib.contextmanager
def _maintenance(connection):
    """A cursor on the server's maintenance database, outside any transaction."""
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params["dbname"] = "postgres"
    with (
        psycopg.connect(**params, autocommit=True) as maintenance,
        maintenance.cursor() as cursor,
    ):
        yield cursor


def _prepare_postgresql(connection) -> bool:
    target = connection.creation._get_test_db_name()
    base = re.sub(r"_gw\d+$", "", target)
    template = f"{base}_tpl_{schema_digest('postgresql')}"
    if len(template) > 63:
        return False
    with _locked(f"pg-{base}"):
        with _maintenance(connection) as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            exists = cursor.fetchone() is not None
        if not exists:
            building = f"{template}_new"
            _migrate_into(connection, building)
            with _maintenance(connection) as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')
                cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                    [base.replace("_", r"\_") + r"\_tpl\_%", template],
                )
                for (old,) in cursor.fetchall():
                    cursor.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
        with _maintenance(connection) as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{template}"')
    return True


# --- a served data directory ----------------------------------------------------------------


def served_data_dir(target: Path, env: dict) -> None:
    """Fill ``target`` with the data directory ``yachi serve`` leaves on its first start
    (settings ``env`` gives, SQLite): migrated, static files collected. Made once per code
    digest (``manage.py migrate`` and ``collectstatic`` in a process of their own, several
    seconds of CPU) and copied, for tests about a server that has run before."""
    key = f"served-{schema_digest('served')}"
    template = TEMPLATES / key
    with _locked(key):
        if not template.is_dir():
            building = TEMPLATES / f"{key}.{os.getpid()}.building"
            shutil.rmtree(building, ignore_errors=True)
            made = {**env, "YACHI_DATA_DIR": str(building)}
            for command in (["migrate"], ["collectstatic"]):
                subprocess.run(  # noqa: S603  (our own interpreter and code)
                    [sys.executable, "manage.py", *command, "--no-input", "-v", "0"],
                    cwd=ROOT,
                    env=made,
                    check=True,
                    capture_output=True,
                )
            building.replace(template)
            now = time.time()
            for old in TEMPLATES.glob("served-*"):
                if old != template and old.is_dir() and now - old.stat().st_mtime > STALE_SECONDS:
                    shutil.rmtree(old, ignore_errors=True)
        os.utime(template)
        shutil.copytree(template, target, dirs_exist_ok=True)
