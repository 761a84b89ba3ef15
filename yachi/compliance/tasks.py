"""Retention and checkpoints of the audit trail, run by the job consumer that
`yachi serve` starts."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yachi.compliance.audit import audit_checkpoint, audit_purge
from yachi.core.schedules import at_clinic_time


@db_periodic_task(at_clinic_time(hour="3", minute="17"))
def purge_expired_audit_entries() -> int:
    """Every night: audit entries past ``YACHI_AUDIT_RETENTION_DAYS`` (never under 180)."""
    return audit_purge(older_than_days=settings.YACHI_AUDIT_RETENTION_DAYS)


@db_periodic_task(crontab(minute=f"*/{settings.YACHI_AUDIT_CHECKPOINT_MINUTES}"))
def checkpoint_audit_trail() -> int:
    """Every few minutes: the end of the chain, written down outside the database (its
    number, 0 when no entry came since the last one)."""
    checkpoint = audit_checkpoint()
    return checkpoint.number if checkpoint else 0
