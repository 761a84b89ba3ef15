"""What backups show Prometheus: the age of the last backup that succeeded (ADR 0039,
ADR 0041), so that an alert fires when the nightly one stops succeeding."""

from django.utils import timezone

from yachi.core.metrics import register_backup_age
from yachi.operations.backups.choices import Status
from yachi.operations.backups.models import BackupRun


def seconds_since_last_good_backup() -> float | None:
    finished = (
        BackupRun.objects.filter(status=Status.SUCCEEDED)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return None if finished is None else (timezone.now() - finished).total_seconds()


def register() -> None:
    register_backup_age(seconds_since_last_good_backup)
