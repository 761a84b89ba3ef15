"""The audit trail: record, verify, purge, search.

``audit_record`` is called inside the transaction of the action it describes, so the
entry and the action commit together or not at all. Appending locks the chain's head
row: entries are numbered in commit order with no gaps. Who, from where and which
request come from the request being handled (``core.middleware``) unless given.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance import chain
from yachi.compliance.keys import keyring
from yachi.compliance.models import AuditAction, AuditEntry, AuditHead
from yachi.compliance.sm4 import hmac_sm3
from yachi.core.errors import InvalidInput
from yachi.core.middleware import current_request_origin

MINIMUM_RETENTION_DAYS = 180


def _head_for_update() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(
            pk=1,
            defaults={"digest": chain.GENESIS, "base_digest": chain.GENESIS},
        )
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "pk", None):
        return {"actor_id": None, "actor": "", "actor_role": ""}
    return {"actor_id": actor.pk, "actor": str(actor.public_id), "actor_role": actor.role}


def _entry(
    *,
    action,
    actor=None,
    object_type="",
    object_id="",
    clinic=None,
    outcome="success",
    details=None,
    at=None,
    origin=None,
) -> AuditEntry:
    origin = origin or current_request_origin()
    return AuditEntry(
        created_at=at or timezone.now(),
        **_actor_fields(actor),
        clinic=str(getattr(clinic, "public_id", clinic) or ""),
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        outcome=outcome,
        ip=origin.ip if origin else "",
        device=origin.device if origin else "",
        request_id=origin.request_id if origin else "",
        details=details or {},
    )


def _append(entries: list[AuditEntry]) -> list[AuditEntry]:
    key = keyring().audit_key
    with transaction.atomic():
        head = _head_for_update()
        seq, previous = head.seq, head.digest
        for entry in entries:
            seq += 1
            entry.seq, entry.previous = seq, previous
            entry.digest = chain.digest(key, previous=previous, seq=seq, content=entry.content())
            previous = entry.digest
        AuditEntry.objects.bulk_create(entries, batch_size=1000)
        AuditHead.objects.filter(pk=1).update(seq=seq, digest=previous)
    return entries


def audit_record(
    *,
    action: str,
    actor=None,
    object_type: str = "",
    object_id="",
    clinic=None,
    outcome: str = "success",
    details: dict | None = None,
    at: datetime | None = None,
    origin=None,
) -> AuditEntry:
    """Append one entry. ``clinic`` is a clinic (or its public id) the action concerns."""
    entry = _entry(
        action=action,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        clinic=clinic,
        outcome=outcome,
        details=details,
        at=at,
        origin=origin,
    )
    return _append([entry])[0]


def audit_record_many(records: list[dict]) -> int:
    """Append many entries at once, in the order given (imports, the demo)."""
    return len(_append([_entry(**record) for record in records]))


@dataclass(frozen=True)
class Verdict:
    intact: bool
    checked: int
    first_seq: int | None
    last_seq: int | None
    broken_seq: int | None = None
    reason: str = ""


def _base_signature(seq: int, digest: str) -> str:
    return hmac_sm3(keyring().audit_key, f"audit-base:{seq}:{digest}".encode())


def audit_verify() -> Verdict:
    """Walk the whole chain from its (signed) starting point to the head."""
    head = AuditHead.objects.filter(pk=1).first()
    base_seq = head.base_seq if head else 0
    base_digest = head.base_digest if head else chain.GENESIS
    if head and base_seq and head.base_signature != _base_signature(base_seq, base_digest):
        return Verdict(False, 0, None, None, base_seq + 1, "purge checkpoint forged")
    entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    counted = {"n": 0, "first": None, "last": None}

    def links():
        for entry in entries:
            counted["n"] += 1
            counted["first"] = counted["first"] or entry.seq
            counted["last"] = entry.seq
            yield chain.Link(entry.seq, entry.content(), entry.previous, entry.digest)

    broken = chain.first_break(
        keyring().audit_key, links(), after_seq=base_seq, after_digest=base_digest
    )
    if broken is None and head is not None and (counted["last"] or base_seq) != head.seq:
        broken = chain.Break((counted["last"] or base_seq) + 1, "missing (deleted at the end)")
    if broken:
        return Verdict(
            False, counted["n"], counted["first"], counted["last"], broken.seq, broken.reason
        )
    return Verdict(True, counted["n"], counted["first"], counted["last"])


def audit_purge(*, older_than_days: int, actor=None) -> int:
    """Delete entries older than ``older_than_days``; never younger than 180 days."""
    minimum = max(MINIMUM_RETENTION_DAYS, settings.YACHI_AUDIT_RETENTION_DAYS)
    if older_than_days < minimum:
        raise InvalidInput(
            _("Audit entries must be kept at least %(days)s days.") % {"days": minimum},
            code="retention_too_short",
        )
    cutoff = timezone.now() - timedelta(days=older_than_days)
    with transaction.atomic():
        head = _head_for_update()
        # Only a prefix of the chain goes: nothing at or after the first young entry,
        # even if a clock once ran behind and left an older-looking entry after it.
        first_young = (
            AuditEntry.objects.filter(created_at__gte=cutoff)
            .order_by("seq")
            .values_list("seq", flat=True)
            .first()
        )
        candidates = AuditEntry.objects.filter(seq__gt=head.base_seq)
        if first_young is not None:
            candidates = candidates.filter(seq__lt=first_young)
        last = candidates.order_by("-seq").first()
        if last is None:
            return 0
        deleted, _by_model = AuditEntry.objects.filter(seq__lte=last.seq).delete()
        AuditHead.objects.filter(pk=1).update(
            base_seq=last.seq,
            base_digest=last.digest,
            base_signature=_base_signature(last.seq, last.digest),
        )
    audit_record(
        action=AuditAction.AUDIT_PURGED,
        actor=actor,
        details={"deleted": deleted, "up_to_seq": last.seq, "older_than_days": older_than_days},
    )
    return deleted
