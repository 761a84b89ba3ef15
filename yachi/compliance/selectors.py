from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from yachi.compliance.models import AuditHead, DataKey

# Checkpoints this many runs behind mean the job is not running.
CHECKPOINTS_LATE_AFTER_RUNS = 3


def data_keys_by_master_key() -> dict[str, int]:
    """How many data keys each master key wraps: a master key absent here can go."""
    rows = DataKey.objects.values("master_key_id").annotate(count=Count("pk"))
    return {row["master_key_id"]: row["count"] for row in rows.order_by("master_key_id")}


def data_key_current() -> DataKey | None:
    return DataKey.objects.filter(is_current=True).first()


@dataclass(frozen=True)
class AuditAnchoring:
    """How far the checkpoints outside the database have seen the audit trail."""

    checkpoint_seq: int
    checkpointed_at: datetime | None
    waiting: int  # entries appended since the last checkpoint
    late: bool


def audit_anchoring() -> AuditAnchoring | None:
    """From the head alone (one read): whether checkpoints keep up, not whether the
    trail is intact, which only ``yachi audit verify`` can say."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return None
    waiting = max(head.seq - head.checkpoint_seq, 0)
    period = timedelta(minutes=settings.YACHI_AUDIT_CHECKPOINT_MINUTES)
    late = bool(
        waiting
        and head.checkpointed_at
        and timezone.now() - head.checkpointed_at > CHECKPOINTS_LATE_AFTER_RUNS * period
    )
    return AuditAnchoring(head.checkpoint_seq, head.checkpointed_at, waiting, late)
