"""Anti-fraud's writes: what a sign-up or login showed of its device, the screening of a
rewardable event, and staff's decisions on held rewards.

Another part of growth screens its reward with ``screen_reward`` before paying it, and
registers, once, how to pay or drop a reward of its kind once staff decided
(``register_reward_payer``). A cleared reward is the caller's to pay at once; a held one
waits for the review queue."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record, blind_index
from yachi.core.errors import Conflict, InvalidInput, NotFound
from yachi.core.models import as_public_id
from yachi.growth.fraud import facts, rules
from yachi.growth.fraud.choices import ReviewStatus, SightingKind
from yachi.growth.fraud.fingerprint import DeviceSignals, canonical, network_of
from yachi.growth.fraud.models import DeviceSighting, RiskReview

REVIEW_DECIDED = AuditAction.REWARD_REVIEWED


@dataclass(frozen=True)
class Payer:
    pay: Callable[[str], None]
    reject: Callable[[str], None]
    label: object = ""
    describe: Callable[[str], str] | None = None


_payers: dict[str, Payer] = {}


def register_reward_payer(
    kind: str,
    *,
    pay: Callable,
    reject: Callable,
    label="",
    describe: Callable[[str], str] | None = None,
) -> None:
    """How a reward of ``kind`` is paid (``pay(key)``, idempotent) once approved, and
    dropped (``reject(key)``) once rejected; both run in the decision's transaction.
    ``label`` names the kind in the review queue and ``describe(key)`` the reward."""
    _payers[kind] = Payer(pay=pay, reject=reject, label=label, describe=describe)


def reward_words(kind: str, key: str, description: str = "") -> tuple[str, str]:
    """What the review queue says of a reward: its kind, and what it is."""
    payer = _payers.get(kind)
    if payer is None:
        return kind, description
    return str(payer.label or kind), (payer.describe(key) if payer.describe else description)


@dataclass(frozen=True)
class Device:
    device_hash: str
    ip_hash: str


def sighting_record(
    *, user, kind: str, signals: DeviceSignals, ip: str | None, at: datetime | None = None
) -> Device:
    """Keep what this sign-up or login showed: the device's fingerprint and the
    address's (and its network's) keyed hash, never the values."""
    text = canonical(signals)
    device = Device(
        device_hash=blind_index("growth.device", text) if text else "",
        ip_hash=blind_index("growth.ip", ip) if ip else "",
    )
    network = network_of(ip)
    DeviceSighting.objects.create(
        user=user,
        kind=kind if kind in SightingKind.values else SightingKind.LOGIN,
        device_hash=device.device_hash,
        ip_hash=device.ip_hash,
        network_hash=blind_index("growth.network", network) if network else "",
        created_at=at or timezone.now(),
    )
    return device


def screen_reward(
    *,
    key: str,
    kind: str,
    beneficiary,
    subject=None,
    description: str = "",
    check_ins: Iterable[datetime] = (),
    now: datetime | None = None,
    limits: rules.Limits | None = None,
) -> RiskReview:
    """Score one rewardable event and record it under the reward's own key.

    ``beneficiary`` gets the reward; ``subject`` is the account whose behaviour earned
    it (the invitee of a referral; the beneficiary itself when left out).
    ``check_ins`` are the times a challenge's check-ins were made, for the check-in rule.
    The answer's ``status`` is ``cleared`` (pay it now) or ``held``; screening the same
    key again returns the first answer."""
    if not key or len(key) > 120:
        raise InvalidInput(_("A reward needs a key of 1 to 120 characters."))
    existing = RiskReview.objects.filter(key=key).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    limits = limits or facts.limits()
    subject = subject or beneficiary
    assessment = facts.assess_reward(
        beneficiary=beneficiary,
        subject=subject,
        check_ins=tuple(check_ins),
        now=now,
        limits=limits,
    )
    with transaction.atomic():
        review, _created = RiskReview.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind[:32],
                "beneficiary": beneficiary,
                "subject": subject,
                "description": description[:200],
                "score": assessment.score,
                "reasons": [
                    {"rule": f.rule, "score": f.score, "facts": f.facts}
                    for f in assessment.findings
                ],
                "status": ReviewStatus.HELD if assessment.held else ReviewStatus.CLEARED,
            },
        )
    return review


def reward_paid_mark(*, key: str) -> bool:
    """Note that the reward of ``key`` was paid (once: a second call changes nothing)."""
    return bool(
        RiskReview.objects.filter(
            key=key, paid_at__isnull=True, status__in=(ReviewStatus.CLEARED, ReviewStatus.APPROVED)
        ).update(paid_at=timezone.now())
    )


def review_decide(*, actor, review_id, approve: bool, note: str = "") -> RiskReview:
    """Staff approve a held reward (then it is paid, once) or reject it (it is never
    paid). Audited; a decided review cannot be decided again (``409 review_decided``)."""
    note = (note or "").strip()[:200]
    if not approve and not note:
        raise InvalidInput(_("Say why the reward is rejected."), code="note_required")
    now = timezone.now()
    with transaction.atomic():
        public_id = as_public_id(review_id)
        review = (
            RiskReview.objects.select_for_update().filter(public_id=public_id).first()
            if public_id
            else None
        )
        if review is None:
            raise NotFound(_("There is no such review."), code="review_not_found")
        status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
        moved = RiskReview.objects.filter(pk=review.pk, status=ReviewStatus.HELD).update(
            status=status, decided_by=actor, decided_at=now, decision_note=note
        )
        if not moved:
            raise Conflict(_("This reward has already been decided."), code="review_decided")
        payer = _payers.get(review.kind)
        if payer is not None:
            if approve:
                payer.pay(review.key)
                RiskReview.objects.filter(pk=review.pk, paid_at__isnull=True).update(paid_at=now)
            else:
                payer.reject(review.key)
        audit_record(
            action=REVIEW_DECIDED,
            actor=actor,
            object_type="risk_review",
            object_id=review.public_id,
            details={
                "kind": review.kind,
                "key": review.key,
                "score": review.score,
                "rules": [reason["rule"] for reason in review.reasons],
                "decision": status,
                **({"note": note} if note else {}),
            },
        )
        review.refresh_from_db()
    return review
