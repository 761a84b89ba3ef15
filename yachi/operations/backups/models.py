from django.db import models
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.operations.backups.choices import Status, Trigger


class BackupRun(BaseModel):
    """One backup, written when it ended: a run never sits in its own archive as
    "running", and a failed one says why. ``pruned_at`` is when retention deleted its
    archive."""

    trigger = models.CharField(_("started by"), max_length=16, choices=Trigger.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    path = models.CharField(_("archive"), max_length=1024, blank=True)
    size_bytes = models.BigIntegerField(_("size"), default=0)
    rows = models.BigIntegerField(_("rows"), default=0)
    files = models.IntegerField(_("files"), default=0)
    error = models.TextField(_("error"), blank=True)
    pruned_at = models.DateTimeField(_("deleted by retention"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["-finished_at"], name="backup_run_recent")]

    def __str__(self) -> str:
        return f"backup {self.status} {self.finished_at:%Y-%m-%d %H:%M}"

    @property
    def file_name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()
