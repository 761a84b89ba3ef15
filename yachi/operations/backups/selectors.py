from dataclasses import dataclass
from datetime import datetime

from yachi.operations.backups.choices import Status
from yachi.operations.backups.models import BackupRun


@dataclass(frozen=True)
class LastBackup:
    """The newest backup run, and the newest good one (what monitoring asks about)."""

    finished_at: datetime
    status: str
    size_bytes: int
    succeeded_at: datetime | None
    succeeded_size_bytes: int


def last_backup() -> LastBackup | None:
    runs = BackupRun.objects.order_by("-finished_at")
    newest = runs.first()
    if newest is None:
        return None
    good = (
        newest
        if newest.status == Status.SUCCEEDED
        else runs.filter(status=Status.SUCCEEDED).first()
    )
    return LastBackup(
        finished_at=newest.finished_at,
        status=newest.status,
        size_bytes=newest.size_bytes,
        succeeded_at=good.finished_at if good else None,
        succeeded_size_bytes=good.size_bytes if good else 0,
    )


def backup_history(*, limit: int = 60) -> list[BackupRun]:
    return list(BackupRun.objects.order_by("-finished_at")[:limit])


def last_backup_failed() -> bool:
    newest = BackupRun.objects.order_by("-finished_at").values_list("status", flat=True).first()
    return newest == Status.FAILED
