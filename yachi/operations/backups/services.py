"""Making backups: ``backup_create`` (the command and the nightly job), the keys'
export, and the nightly run with its retention and its alert (ADR 0039)."""

import io
import logging
import os
import secrets
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.accounts import facade as accounts
from yachi.compliance import facade as compliance
from yachi.messaging import facade as messaging
from yachi.operations.backups import archive, retention
from yachi.operations.backups.choices import Status, Trigger
from yachi.operations.backups.manifest import NAME, Digest, Manifest, yachi_version
from yachi.operations.backups.models import BackupRun
from yachi.operations.backups.snapshot import snapshot_take

log = logging.getLogger(__name__)

SUFFIX = ".ybk"
CHECKPOINTS_MEMBER = "audit/checkpoints.jsonl"
# The storages whose files an archive carries, under files/<storage>/.
FILE_STORAGES = ("default", "faces")

# (bytes done, bytes in all, what is being done)
ProgressCallback = Callable[[int, int, str], None]


class BackupFailed(Exception):
    pass


@dataclass(frozen=True)
class BackupDone:
    path: Path
    size: int
    rows: int
    files: int
    run: BackupRun


def backup_directory() -> Path:
    return Path(settings.YACHI_BACKUP_DIR)


def archive_name(moment) -> str:
    return f"yachi-backup-{timezone.localtime(moment):%Y%m%d-%H%M%S}{SUFFIX}"


def backup_create(
    *, to: Path | None = None, trigger: str = Trigger.COMMAND, progress: ProgressCallback = None
) -> BackupDone:
    """An encrypted archive of the database, the uploaded files and the audit trail's
    checkpoints, taken while the platform serves; recorded as a run either way."""
    started = timezone.now()
    directory = Path(to) if to else backup_directory()
    try:
        path, manifest = _archive_write(directory, started, progress or _silent)
    except Exception as exc:
        error = str(exc) or exc.__class__.__name__
        log.exception("backup failed")
        BackupRun.objects.create(
            trigger=trigger,
            status=Status.FAILED,
            started_at=started,
            finished_at=timezone.now(),
            error=error[:2000],
        )
        raise BackupFailed(error) from exc
    rows = sum(manifest.counts.values())
    files = sum(1 for name in manifest.members if name.startswith("files/"))
    run = BackupRun.objects.create(
        trigger=trigger,
        status=Status.SUCCEEDED,
        started_at=started,
        finished_at=timezone.now(),
        path=str(path),
        size_bytes=path.stat().st_size,
        rows=rows,
        files=files,
    )
    return BackupDone(path=path, size=run.size_bytes, rows=rows, files=files, run=run)


def _silent(done: int, total: int, label: str) -> None:
    pass


def _archive_write(directory: Path, started, progress: ProgressCallback):
    key = compliance.backup_key()
    if key is None:
        raise BackupFailed(_("No backup key: set YACHI_BACKUP_KEY (see docs/configuration.md)."))
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / archive_name(started)
    while final.exists():
        final = directory / f"{final.stem}-{secrets.token_hex(2)}{SUFFIX}"
    partial = final.with_name(f".{final.name}.partial")
    # The unencrypted copy of the database waits beside the database itself, never in
    # the backup directory, which may be a share other machines read.
    with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".backup-") as staging:
        staging = Path(staging)
        progress(0, 1, _("Copying the database"))
        snapshot = snapshot_take(staging)
        # The checkpoints after the database: a checkpoint is in the file before the head
        # counts it, so the file now holds every one the snapshot's head counts; the later
        # ones, which name entries the snapshot does not hold, are left out.
        checkpoints = _checkpoints_copy(staging, snapshot.checkpoints_counted)
        # Files after the snapshot: a file is stored before the row that names it commits,
        # so every file a row of the snapshot names is there by now.
        members = [(f"database/{snapshot.path.name}", snapshot.path)]
        if checkpoints:
            members.append((CHECKPOINTS_MEMBER, checkpoints))
        members += list(_stored_files())
        manifest = Manifest(
            vendor=snapshot.vendor,
            created_at=started.isoformat(),
            migrations=snapshot.migrations,
            counts=snapshot.counts,
            version=yachi_version(),
            files_included=all(storage_root(name) for name in FILE_STORAGES),
        )
        try:
            # Readable by this user only, like the key file: the archive is encrypted, but
            # who may copy it is still the operator's choice.
            with os.fdopen(
                os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb"
            ) as out:
                _tar_write(out, key, members, manifest, progress)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    return final, manifest


def _checkpoints_copy(staging: Path, counted: int) -> Path | None:
    source = Path(settings.YACHI_AUDIT_CHECKPOINT_FILE)
    if not source.exists():
        return None
    copy = staging / "checkpoints.jsonl"
    text = source.read_text(encoding="utf-8", errors="replace")
    copy.write_text(compliance.checkpoints_counted(text, counted), encoding="utf-8")
    return copy


def storage_root(name: str) -> Path | None:
    storage = storages[name]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def _stored_files():
    """Every file of the local storages; object storage keeps its own copies."""
    for name in FILE_STORAGES:
        root = storage_root(name)
        if root is None or not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file():
                yield f"files/{name}/{path.relative_to(root).as_posix()}", path


class _Counted:
    """A member's bytes on their way into the archive, hashed and counted."""

    def __init__(self, file, digest: Digest, on_read):
        self._file, self._digest, self._on_read = file, digest, on_read

    def read(self, size=-1):
        data = self._file.read(size)
        self._digest.update(data)
        self._on_read(len(data))
        return data


def _tar_write(out, key, members, manifest: Manifest, progress: ProgressCallback) -> None:
    sizes = {}
    for name, path in members:
        try:
            sizes[name] = path.stat().st_size
        except FileNotFoundError:  # deleted since it was listed: it is no longer data
            continue
    total, done = sum(sizes.values()), 0

    def advanced(count: int) -> None:
        nonlocal done
        done += count
        progress(done, total, _("Writing the archive"))

    writer = archive.Writer(out, key)
    with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        for name, path in members:
            if name not in sizes:
                continue
            try:
                file = open(path, "rb")  # noqa: SIM115 (closed below, after tar read it)
            except FileNotFoundError:
                continue
            with file:
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = sizes[name], int(time.time()), 0o600
                digest = Digest()
                tar.addfile(info, _Counted(file, digest, advanced))
            manifest.members[name] = {"size": digest.size, "sha256": digest.hexdigest()}
        body = manifest.to_json()
        info = tarfile.TarInfo(NAME)
        info.size, info.mtime, info.mode = len(body), int(time.time()), 0o600
        tar.addfile(info, io.BytesIO(body))
    writer.close()
    progress(total, total, _("Archive written"))


def keys_export(*, to: Path) -> Path:
    """The installation's keys in a file of their own (mode 0600), never in an archive."""
    to = Path(to)
    to.mkdir(parents=True, exist_ok=True)
    values = compliance.keys_export()
    if "YACHI_BACKUP_KEY" not in values:
        raise BackupFailed(_("No backup key: set YACHI_BACKUP_KEY (see docs/configuration.md)."))
    path = to / f"yachi-keys-{timezone.localtime():%Y%m%d-%H%M%S}.json"
    compliance.keys_file_write(path, values)
    return path


# --- the nightly job ---------------------------------------------------------------------------


def backup_nightly() -> BackupRun:
    """The job's backup, then retention; a failure alerts every administrator."""
    try:
        done = backup_create(trigger=Trigger.NIGHTLY)
    except BackupFailed:
        run = BackupRun.objects.filter(status=Status.FAILED).order_by("-finished_at").first()
        _alert(run)
        return run
    backups_prune()
    return done.run


def backups_prune(*, now=None) -> list[Path]:
    """Delete the archives of the backup directory that retention no longer keeps."""
    directory = backup_directory()
    archives = {}
    for path in directory.glob(f"yachi-backup-*{SUFFIX}"):
        made = retention.made_at(path.name, ZoneInfo(settings.TIME_ZONE))
        if made is not None:
            archives[path] = made
    kept = retention.kept(
        archives.values(),
        daily=settings.YACHI_BACKUP_KEEP_DAILY,
        weekly=settings.YACHI_BACKUP_KEEP_WEEKLY,
        monthly=settings.YACHI_BACKUP_KEEP_MONTHLY,
    )
    deleted = [path for path, made in archives.items() if made not in kept]
    for path in deleted:
        path.unlink(missing_ok=True)
    if deleted:
        BackupRun.objects.filter(path__in=[str(p) for p in deleted], pruned_at=None).update(
            pruned_at=now or timezone.now()
        )
    return deleted


def _alert(run: BackupRun | None) -> None:
    if run is None:
        return
    last = BackupRun.objects.filter(status=Status.SUCCEEDED).order_by("-finished_at").first()
    for administrator in accounts.administrators():
        messaging.notify(
            recipient=administrator,
            kind="backup_failed",
            params={
                "time": f"{timezone.localtime(run.started_at):%Y-%m-%d %H:%M}",
                "error": run.error[:200],
                "last": f"{timezone.localtime(last.finished_at):%Y-%m-%d %H:%M}" if last else "—",
                "link": f"{settings.YACHI_PUBLIC_URL}/console/backups/",
            },
            key=f"backup_failed:{run.public_id}:{administrator.pk}",
        )
