from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance import directory
from yachi.compliance.models import AuditAction, AuditEntry, AuditHead, DataKey
from yachi.core.dates import day_param
from yachi.core.errors import DomainError, PermissionDenied
from yachi.core.roles import Role

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


def _audit_visible(user):
    """Managers see what concerns the clinics they manage (a clinic manager's, a regional
    manager's, every clinic of the chain for chain operations) or was done by those who
    work there; someone who manages no clinic sees none of it."""
    if user.role == Role.ADMIN:
        return AuditEntry.objects.all()
    scope = directory.audit_scope(user) if user.role == Role.STAFF else None
    if not (scope and scope.clinics):
        raise PermissionDenied(_("The audit trail is for managers."), code="audit_forbidden")
    return AuditEntry.objects.filter(
        Q(clinic__in=sorted(scope.clinics)) | Q(actor_id__in=scope.actors)
    )


def audit_entries(*, user, params):
    """The part of the trail ``user`` may see, filtered by the console's search form
    (``from``, ``to``, ``action``, ``phone``, ``object``), newest first."""
    entries = _audit_visible(user)
    start, end = day_param(params.get("from")), day_param(params.get("to"))
    zone = timezone.get_current_timezone()
    if start:
        entries = entries.filter(created_at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end:
        entries = entries.filter(
            created_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
        )
    if params.get("action") in AuditAction.values:
        entries = entries.filter(action=params["action"])
    if params.get("phone"):
        try:
            actor_id = directory.actor_by_phone(params["phone"])
        except DomainError:
            actor_id = None
        entries = entries.filter(actor_id=actor_id if actor_id is not None else -1)
    if params.get("object"):
        entries = entries.filter(object_id=params["object"].strip())
    return entries.order_by("-seq")


def actor_names(entries) -> dict[int, str]:
    """The display names of the actors of these entries."""
    return directory.actor_names({e.actor_id for e in entries if e.actor_id})
