"""The nightly backup, run by the job consumer that `yachi serve` starts."""

from django.conf import settings
from huey.contrib.djhuey import db_periodic_task

from yachi.core.schedules import at_clinic_time
from yachi.operations.backups.services import backup_nightly

_HOUR, _MINUTE = settings.YACHI_BACKUP_TIME


@db_periodic_task(at_clinic_time(hour=str(_HOUR), minute=str(_MINUTE)))
def nightly_backup() -> str:
    """Every night (``YACHI_BACKUP_TIME``, clinic time): a backup, then retention; a
    failure is told to the administrators. Off with ``YACHI_BACKUP_NIGHTLY=0``."""
    if not settings.YACHI_BACKUP_NIGHTLY:
        return "off"
    return backup_nightly().status
