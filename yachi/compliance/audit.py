"""The audit trail: record, checkpoint, verify, purge.

``audit_record`` is called inside the transaction of the action it describes, so the
entry and the action commit together or not at all. Appending locks the chain's head
row: entries are numbered in commit order with no gaps, and the statement that moves the
head signs it again. ``audit_checkpoint`` writes the head down outside the database
(every few minutes, and after a purge); ``audit_verify`` holds the table to the chain,
the head's signature and every checkpoint it can read (ADR 0017). Who, from where and
which request come from the request being handled (``core.middleware``) unless given.
"""

import hmac
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance import chain
from yachi.compliance.checkpoints import (
    Checkpoint,
    checkpoint_breaks,
    checkpoint_store,
    checkpoints_exist,
    checkpoints_read,
)
from yachi.compliance.directory import acting_role
from yachi.compliance.keys import keyring
from yachi.compliance.models import AuditAction, AuditEntry, AuditHead
from yachi.core.errors import Conflict, InvalidInput
from yachi.core.middleware import current_request_origin
from yachi.core.roles import Role

logger = logging.getLogger(__name__)

MINIMUM_RETENTION_DAYS = 180


def _signature(head: AuditHead) -> str:
    return chain.head_signature(keyring().audit_key, head.state())


def _verifies(head: AuditHead) -> bool:
    return hmac.compare_digest(head.signature, _signature(head))


def _head_for_update() -> tuple[AuditHead, dict | None]:
    """The locked head, and what was wrong with it when it cannot be trusted.

    A missing head is made again: at the start of the chain on a new installation, or
    after the last entry when entries exist (it was deleted). A head that does not
    verify, or one made again while entries or checkpoints remain, is never signed over
    silently: the caller first records what it found, in the chain itself.
    """
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        if _verifies(head):
            return head, None
        return head, {"found": "altered", "seq": head.seq, "digest": head.digest}
    last = AuditEntry.objects.order_by("-seq").first()
    start = AuditHead(
        pk=1,
        seq=last.seq if last else 0,
        digest=last.digest if last else chain.GENESIS,
        base_digest=chain.GENESIS,
    )
    start.signature = _signature(start)
    _head, created = AuditHead.objects.get_or_create(
        pk=1,
        defaults={
            name: getattr(start, name) for name in ("seq", "digest", "base_digest", "signature")
        },
    )
    head = AuditHead.objects.select_for_update().get(pk=1)
    if created and (last is not None or checkpoints_exist()):
        return head, {"found": "missing", "seq": head.seq, "digest": head.digest}
    return head, None


def _actor_fields(actor, clinic, roles: dict | None = None) -> dict:
    if actor is None or not getattr(actor, "pk", None):
        return {"actor_id": None, "actor": "", "actor_role": ""}
    role = actor.role
    # A staff member's role is their role at the clinic the action concerns (manager at
    # one, front desk at another: ADR 0026); one indexed query, in the action's transaction
    # (once for a whole batch, through ``roles``).
    if role == Role.STAFF:
        key = (actor.pk, getattr(clinic, "pk", clinic))
        if roles is not None and key in roles:
            role = roles[key]
        else:
            role = acting_role(actor, clinic) or role
            if roles is not None:
                roles[key] = role
    return {"actor_id": actor.pk, "actor": str(actor.public_id), "actor_role": role}


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
    roles=None,
) -> AuditEntry:
    origin = origin or current_request_origin()
    return AuditEntry(
        created_at=at or timezone.now(),
        **_actor_fields(actor, clinic, roles),
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


def _head_invalid_entry(found: dict) -> AuditEntry:
    logger.error(
        "the audit trail's head was %s (at #%s): recorded in the trail",
        found["found"],
        found["seq"],
    )
    return _entry(action=AuditAction.AUDIT_HEAD_INVALID, outcome="failure", details=found)


def _append(entries: list[AuditEntry]) -> list[AuditEntry]:
    with transaction.atomic():
        head, found = _head_for_update()
        _chain_onto(head, found, entries)
    return entries


def _chain_onto(head: AuditHead, found: dict | None, entries: list[AuditEntry]) -> None:
    """Number, link and insert ``entries`` after the locked ``head``, and sign it again."""
    key = keyring().audit_key
    # Appending to a head rewound without the key would sign it over and launder the
    # deletion: the entry saying what was found goes first, and stays in the chain.
    chained = [_head_invalid_entry(found), *entries] if found else entries
    seq, previous = head.seq, head.digest
    for entry in chained:
        seq += 1
        entry.seq, entry.previous = seq, previous
        entry.digest = chain.digest(key, previous=previous, seq=seq, content=entry.content())
        previous = entry.digest
    AuditEntry.objects.bulk_create(chained, batch_size=1000)
    head.seq, head.digest = seq, previous
    head.signature = _signature(head)
    head.save(update_fields=["seq", "digest", "signature"])


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
    """Append many entries at once, in the order given (imports, the demo); a staff
    member's role at a clinic is looked up once for the whole batch."""
    roles: dict = {}
    return len(_append([_entry(**record, roles=roles) for record in records]))


def audit_checkpoint() -> Checkpoint | None:
    """Write the end of the chain down outside the database (``checkpoints.py``).

    Nothing is written when no entry was appended since the last checkpoint: then it
    costs one read and no lock, so the job can run every few minutes. A head that does
    not verify is first recorded in the chain, as an append would, so that the
    checkpoint anchors that record too.
    """
    head = AuditHead.objects.filter(pk=1).only("seq", "checkpoint_seq").first()
    if head is None or head.seq == head.checkpoint_seq:
        return None
    with transaction.atomic():
        head, found = _head_for_update()
        if found:
            _chain_onto(head, found, [])
        if head.seq == head.checkpoint_seq:
            return None  # another process wrote it meanwhile
        checkpoint = Checkpoint.signed(
            number=head.checkpoint_count + 1, seq=head.seq, digest=head.digest, at=timezone.now()
        )
        # On disk before the head counts it: a crash in between leaves a checkpoint the
        # head does not count, which is harmless; the other way round would not be.
        checkpoint_store(checkpoint)
        head.checkpoint_count, head.checkpoint_seq = checkpoint.number, checkpoint.seq
        head.checkpointed_at = checkpoint.when
        head.signature = _signature(head)
        head.save(
            update_fields=["checkpoint_count", "checkpoint_seq", "checkpointed_at", "signature"]
        )
    return checkpoint


@dataclass(frozen=True)
class Verdict:
    intact: bool
    checked: int
    first_seq: int | None
    last_seq: int | None
    broken_seq: int | None = None
    reason: str = ""
    problems: tuple[chain.Break, ...] = ()
    checkpoints: int = 0
    last_checkpoint: Checkpoint | None = None


@dataclass
class _Walk:
    """What one pass over the table saw, beyond the first break."""

    wanted: set[int]
    count: int = 0
    first: int | None = None
    last: int | None = None
    last_digest: str | None = None
    digests: dict[int, str] = field(default_factory=dict)
    marks: list[chain.Break] = field(default_factory=list)

    def links(self, entries: Iterable[AuditEntry]) -> Iterator[chain.Link]:
        for entry in entries:
            self.count += 1
            self.first = self.first or entry.seq
            self.last, self.last_digest = entry.seq, entry.digest
            if entry.seq in self.wanted:
                self.digests[entry.seq] = entry.digest
            if entry.action == AuditAction.AUDIT_HEAD_INVALID:
                found = entry.details.get("found", "altered")
                self.marks.append(
                    chain.Break(
                        entry.seq,
                        f"entry #{entry.seq} records that the head was {found} when it was "
                        "written: entries before it may have been deleted",
                    )
                )
            yield chain.Link(entry.seq, entry.content(), entry.previous, entry.digest)


def _head_breaks(head: AuditHead | None, walk: _Walk, any_checkpoint: bool) -> list[chain.Break]:
    if head is None:
        if walk.count or any_checkpoint:
            last = walk.last or 0
            return [
                chain.Break(
                    last + 1, "the head is missing (deleted): the end of the trail is unknown"
                )
            ]
        return []
    breaks = []
    if not _verifies(head):
        breaks.append(
            chain.Break(
                head.seq + 1,
                f"the head (#{head.seq}) was changed without the audit key (its signature "
                f"does not match): entries after #{head.seq} may have been deleted",
            )
        )
    last = walk.last if walk.last is not None else head.base_seq
    last_digest = walk.last_digest if walk.last is not None else head.base_digest
    if last < head.seq:
        breaks.append(
            chain.Break(last + 1, f"{chain.span(last + 1, head.seq)} missing (deleted at the end)")
        )
    elif last > head.seq:
        breaks.append(
            chain.Break(
                head.seq + 1, f"{chain.span(head.seq + 1, last)} beyond the head (#{head.seq})"
            )
        )
    elif last_digest != head.digest:
        breaks.append(chain.Break(last, f"entry #{last} is not the one the head ends with"))
    return breaks


def _store_breaks(head: AuditHead | None, reading) -> list[chain.Break]:
    breaks = [chain.Break(None, problem) for problem in reading.problems]
    counted = head.checkpoint_count if head else 0
    path = settings.YACHI_AUDIT_CHECKPOINT_FILE
    if counted and reading.file_missing:
        breaks.append(
            chain.Break(
                None,
                f"the checkpoint file {path} is missing, yet the head counts {counted} "
                "checkpoint(s)",
            )
        )
    elif counted and reading.file_read:
        last = (counted, head.checkpoint_seq)
        if not any((c.number, c.seq) == last for c in reading.checkpoints):
            breaks.append(
                chain.Break(
                    None,
                    f"checkpoint {counted} (of #{head.checkpoint_seq}), the last the head "
                    f"counts, is in no checkpoint store: {path} was truncated or replaced",
                )
            )
    return breaks


def audit_verify(*, checkpoint_files: Iterable[Path] = ()) -> Verdict:
    """Walk the whole chain from its (signed) starting point to the (signed) head, and
    hold it to every checkpoint found: the file, Redis, and ``checkpoint_files`` (copies
    of the file or the log shipped elsewhere)."""
    head = AuditHead.objects.filter(pk=1).first()
    base_seq = head.base_seq if head else 0
    base_digest = head.base_digest if head else chain.GENESIS
    reading = checkpoints_read(extra_files=checkpoint_files)
    walk = _Walk(wanted={checkpoint.seq for checkpoint in reading.checkpoints})
    links = walk.links(AuditEntry.objects.order_by("seq").iterator(chunk_size=2000))
    broken = chain.first_break(
        keyring().audit_key, links, after_seq=base_seq, after_digest=base_digest
    )
    for _link in links:  # the rest of the table still counts, and checkpoints need it
        pass
    # On the same entry, what a checkpoint saw says most; a stable sort keeps it first.
    problems = [
        *checkpoint_breaks(
            reading.checkpoints,
            digests=walk.digests,
            base_seq=base_seq,
            base_digest=base_digest,
            last_seq=walk.last if walk.last is not None else base_seq,
        ),
        *([broken] if broken else []),
        *walk.marks,
        *_head_breaks(head, walk, bool(reading.checkpoints)),
        *_store_breaks(head, reading),
    ]
    problems.sort(key=lambda problem: (problem.seq is None, problem.seq or 0))
    last_checkpoint = max(reading.checkpoints, key=lambda c: (c.number, c.seq), default=None)
    return Verdict(
        intact=not problems,
        checked=walk.count,
        first_seq=walk.first,
        last_seq=walk.last,
        broken_seq=problems[0].seq if problems else None,
        reason=problems[0].reason if problems else "",
        problems=tuple(problems),
        checkpoints=len(reading.checkpoints),
        last_checkpoint=last_checkpoint,
    )


def audit_purge(*, older_than_days: int, actor=None) -> int:
    """Delete entries older than ``older_than_days``; never younger than 180 days.

    A head that does not verify is not purged from: deleting entries then could take
    the evidence of what happened with them.
    """
    minimum = max(MINIMUM_RETENTION_DAYS, settings.YACHI_AUDIT_RETENTION_DAYS)
    if older_than_days < minimum:
        raise InvalidInput(
            _("Audit entries must be kept at least %(days)s days.") % {"days": minimum},
            code="retention_too_short",
        )
    cutoff = timezone.now() - timedelta(days=older_than_days)
    with transaction.atomic():
        head, found = _head_for_update()
        if found:
            raise Conflict(
                _(
                    "The end of the audit trail was changed outside Yachi: nothing is purged "
                    "until `yachi audit verify` has been looked into."
                ),
                code="audit_trail_damaged",
            )
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
        head.base_seq, head.base_digest = last.seq, last.digest
        head.signature = _signature(head)
        head.save(update_fields=["base_seq", "base_digest", "signature"])
    audit_record(
        action=AuditAction.AUDIT_PURGED,
        actor=actor,
        details={"deleted": deleted, "up_to_seq": last.seq, "older_than_days": older_than_days},
    )
    # The new starting point and the purge's own entry, anchored at once.
    audit_checkpoint()
    return deleted
