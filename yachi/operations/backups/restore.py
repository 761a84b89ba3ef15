"""``yachi restore``: an archive and its key file into the empty place the environment
names (ADR 0039).

Everything that can be refused is refused before anything is written: the key file, the
archive's every chunk, the manifest's checksums, a schema newer than the code, a database
of another kind, a target that already holds data. Then the keys, the database, the files
and the checkpoints go into place, and the result is held to the manifest's row counts,
the data keys and the audit trail.
"""

import base64
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from yachi.compliance import facade as compliance
from yachi.operations.backups import archive
from yachi.operations.backups.manifest import NAME, Digest, Manifest, migrations_unknown
from yachi.operations.backups.services import CHECKPOINTS_MEMBER, FILE_STORAGES, storage_root
from yachi.operations.backups.snapshot import (
    postgres_conninfo,
    postgres_contents,
    postgres_environment,
    postgres_tool,
    sqlite_contents,
    vendor,
)

ProgressCallback = Callable[[int, int, str], None]


class RestoreRefused(Exception):
    """Nothing was changed."""


class RestoreFailed(Exception):
    """The data went into place but does not hold up."""


@dataclass
class RestoreReport:
    vendor: str
    created_at: str
    tables: int
    rows: int
    files: int
    data_keys: int
    audit_entries: int
    migrated: list[str] = field(default_factory=list)
    keys_file: Path | None = None


def restore(*, archive_path: Path, keys_path: Path, progress: ProgressCallback = None):
    progress = progress or (lambda done, total, label: None)
    try:
        keys = compliance.keys_read(Path(keys_path))
    except ImproperlyConfigured as exc:
        raise RestoreRefused(str(exc)) from exc
    backup_key = base64.b64decode(keys["YACHI_BACKUP_KEY"])
    with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".restore-") as staging:
        staging = Path(staging)
        manifest = _unpack(Path(archive_path), backup_key, staging, progress)
        unknown = migrations_unknown(manifest.migrations)
        if unknown:
            names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
            raise RestoreRefused(
                _(
                    "The archive's schema is newer than this code (migrations it does not "
                    "know: %(names)s): restore it with the version of Yachi that made it "
                    "(%(version)s) or a later one."
                )
                % {"names": names, "version": manifest.version}
            )
        if manifest.vendor != vendor():
            raise RestoreRefused(
                _("The archive holds a %(archive)s database; DATABASE_URL names %(target)s.")
                % {"archive": manifest.vendor, "target": vendor()}
            )
        _refuse_occupied_target()
        try:
            keys_file = compliance.keys_install(keys)
        except ImproperlyConfigured as exc:
            raise RestoreRefused(str(exc)) from exc
        progress(0, 1, _("Restoring the database"))
        _database_restore(manifest, staging)
        files = _files_restore(staging)
        _checkpoints_restore(staging)
    counts = _restored_counts()
    if counts != manifest.counts:
        differing = sorted(
            table
            for table in set(counts) | set(manifest.counts)
            if counts.get(table) != manifest.counts.get(table)
        )
        raise RestoreFailed(
            _("The restored database does not hold what the manifest counted: %(tables)s")
            % {"tables": ", ".join(differing[:10])}
        )
    migrated = _migrate()
    progress(1, 1, _("Checking the keys and the audit trail"))
    try:
        data_keys = compliance.data_keys_check()
    except Exception as exc:
        raise RestoreFailed(
            _("The restored data keys do not open with the key file's master keys: %(error)s")
            % {"error": exc}
        ) from exc
    verdict = compliance.audit_verify()
    if not verdict.intact:
        first = verdict.problems[0]
        raise RestoreFailed(
            _("The restored audit trail does not verify: %(reason)s") % {"reason": first.reason}
        )
    return RestoreReport(
        vendor=manifest.vendor,
        created_at=manifest.created_at,
        tables=len(counts),
        rows=sum(counts.values()),
        files=files,
        data_keys=data_keys,
        audit_entries=verdict.checked,
        migrated=migrated,
        keys_file=keys_file,
    )


# --- reading the archive --------------------------------------------------------------------


def _allowed(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return False
    return name in (NAME, CHECKPOINTS_MEMBER) or path.parts[0] in ("database", "files")


def _unpack(path: Path, backup_key: bytes, staging: Path, progress) -> Manifest:
    total = path.stat().st_size
    found: dict[str, dict] = {}
    with open(path, "rb") as source:
        try:
            reader = archive.Reader(source, backup_key)
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if not member.isfile() or not _allowed(member.name):
                        raise RestoreRefused(
                            _("The archive holds an unexpected member: %(name)s")
                            % {"name": member.name}
                        )
                    target = staging / "members" / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    digest = Digest()
                    with tar.extractfile(member) as data, open(target, "wb") as out:
                        while block := data.read(1024 * 1024):
                            digest.update(block)
                            out.write(block)
                            progress(source.tell(), total, _("Reading the archive"))
                    found[member.name] = {"size": digest.size, "sha256": digest.hexdigest()}
            reader.finish()
        except archive.ArchiveRefused as exc:
            raise RestoreRefused(str(exc)) from exc
        except tarfile.TarError as exc:
            raise RestoreRefused(_("The archive is damaged: %(error)s") % {"error": exc}) from exc
    if NAME not in found:
        raise RestoreRefused(_("The archive has no manifest."))
    try:
        manifest = Manifest.from_json((staging / "members" / NAME).read_bytes())
    except (ValueError, TypeError, KeyError) as exc:
        raise RestoreRefused(_("The manifest cannot be read: %(error)s") % {"error": exc}) from exc
    found.pop(NAME)
    if found != manifest.members:
        wrong = sorted(
            name
            for name in set(found) | set(manifest.members)
            if found.get(name) != manifest.members.get(name)
        )
        raise RestoreRefused(
            _("The archive's members do not match the manifest's checksums: %(names)s")
            % {"names": ", ".join(wrong[:5])}
        )
    return manifest


# --- the target ---------------------------------------------------------------------------------


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _refuse_occupied_target() -> None:
    if vendor() == "sqlite":
        path = _sqlite_path()
        if path.exists() and path.stat().st_size:
            with sqlite3.connect(path) as connection:
                tables = sqlite_contents(connection)[0]
            connection.close()
            if tables:
                raise RestoreRefused(
                    _("%(path)s already holds a database: restore into an empty place.")
                    % {"path": path}
                )
    else:
        with psycopg.connect(**postgres_conninfo()) as connection:
            (tables,) = connection.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchone()
        if tables:
            raise RestoreRefused(
                _("The database %(name)s already has tables: restore into an empty database.")
                % {"name": settings.DATABASES["default"]["NAME"]}
            )
    for name in FILE_STORAGES:
        root = storage_root(name)
        if root and root.exists() and any(path.is_file() for path in root.rglob("*")):
            raise RestoreRefused(
                _("%(path)s already holds files: restore into an empty data directory.")
                % {"path": root}
            )
    checkpoints = Path(settings.YACHI_AUDIT_CHECKPOINT_FILE)
    if checkpoints.exists() and checkpoints.stat().st_size:
        raise RestoreRefused(
            _("%(path)s already holds audit checkpoints of another trail.") % {"path": checkpoints}
        )


def _database_restore(manifest: Manifest, staging: Path) -> None:
    (dump,) = (staging / "members" / "database").iterdir()
    connections.close_all()
    if manifest.vendor == "sqlite":
        target = _sqlite_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.move(dump, target)
        return
    restored = subprocess.run(  # noqa: S603 (a fixed program, arguments we built)
        [
            postgres_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={settings.DATABASES['default']['NAME']}",
            str(dump),
        ],
        env=postgres_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if restored.returncode:
        raise RestoreFailed(f"pg_restore failed: {restored.stderr.strip()}")


def _files_restore(staging: Path) -> int:
    restored = 0
    for name in FILE_STORAGES:
        source, root = staging / "members" / "files" / name, storage_root(name)
        if root is None or not source.exists():
            continue
        for path in sorted(source.rglob("*")):
            if path.is_file():
                target = root / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(path, target)
                restored += 1
    return restored


def _checkpoints_restore(staging: Path) -> None:
    source = staging / "members" / CHECKPOINTS_MEMBER
    if source.exists():
        target = Path(settings.YACHI_AUDIT_CHECKPOINT_FILE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def _restored_counts() -> dict[str, int]:
    connections.close_all()
    if vendor() == "sqlite":
        connection = sqlite3.connect(_sqlite_path())
        try:
            return sqlite_contents(connection)[0]
        finally:
            connection.close()
    with psycopg.connect(**postgres_conninfo()) as connection:
        return postgres_contents(connection)[0]


def _migrate() -> list[str]:
    """An archive of an older schema is brought up to this code's."""
    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return []
    call_command("migrate", interactive=False, verbosity=0)
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
