"""The points ledger: append-only entries and a balance that is always their sum.

Every change is one entry plus one conditional update of the account,
``balance = balance + delta WHERE balance + delta >= 0``, in one transaction. The
entry's idempotency key is unique: a repeated key returns the first entry and changes
nothing, also when two requests with the same key race (the loser's savepoint rolls
its balance update back and it reads the winner's entry).
"""

from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput, NotFound
from yachi.core.money import FEN_PER_YUAN
from yachi.growth.choices import PointsReason
from yachi.growth.errors import IdempotencyKeyReused, PointsInsufficient
from yachi.growth.models import PointsAccount, PointsEntry

MAX_POINTS = 10_000_000
MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class Posting:
    """The entry a points change wrote (or, ``replayed``, the one an earlier call with
    the same key wrote)."""

    entry_id: UUID
    delta: int
    balance_after: int
    replayed: bool


def points_per_yuan() -> int:
    return int(getattr(settings, "YACHI_POINTS_PER_YUAN", 100))


def points_earned_per_yuan() -> int:
    return int(getattr(settings, "YACHI_POINTS_EARNED_PER_YUAN", 1))


def points_value_fen(points: int) -> int:
    """What ``points`` are worth, in fen, rounded down."""
    return points * FEN_PER_YUAN // points_per_yuan()


def points_needed(fen: int) -> int:
    """Points that pay for ``fen``, rounded up."""
    return -(-fen * points_per_yuan() // FEN_PER_YUAN)


def points_balance(*, user) -> int:
    balance = PointsAccount.objects.filter(user=user).values_list("balance", flat=True).first()
    return balance or 0


def _account_id(user) -> int:
    account = PointsAccount.objects.filter(user=user).values_list("pk", flat=True).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return PointsAccount.objects.create(user=user).pk
    except IntegrityError:  # created by a concurrent first posting
        return PointsAccount.objects.values_list("pk", flat=True).get(user=user)


def _replay(entry: PointsEntry, user) -> Posting:
    if user is not None and entry.user_id != user.pk:
        raise IdempotencyKeyReused()
    return Posting(entry.public_id, entry.delta, entry.balance_after, replayed=True)


def _check_key(key: str) -> str:
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise InvalidInput(_("A points change needs a key of 1 to 200 characters."))
    return key


def post(
    *,
    user,
    delta: int,
    reason: str,
    idempotency_key: str,
    reference: str = "",
    note: str = "",
    actor=None,
    refund_of: PointsEntry | None = None,
) -> Posting:
    """Write one entry and move the balance by ``delta``; never below zero."""
    key = _check_key(idempotency_key)
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
        raise InvalidInput(_("A points change must be a whole number other than zero."))
    if abs(delta) > MAX_POINTS:
        raise InvalidInput(_("That is too many points for one change."))
    if reason not in PointsReason.values:
        raise InvalidInput(_("Unknown reason for a points change."))
    with transaction.atomic():
        existing = PointsEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _replay(existing, user)
        account_id = _account_id(user)
        try:
            with transaction.atomic():
                moved = PointsAccount.objects.filter(pk=account_id, balance__gte=-delta).update(
                    balance=F("balance") + delta
                )
                if not moved:
                    raise PointsInsufficient()
                # Our UPDATE holds the row until commit: this is our own new balance.
                balance = PointsAccount.objects.values_list("balance", flat=True).get(pk=account_id)
                entry = PointsEntry.objects.create(
                    user=user,
                    delta=delta,
                    reason=reason,
                    note=note[:200],
                    reference=reference[:120],
                    idempotency_key=key,
                    refund_of=refund_of,
                    balance_after=balance,
                    created_by=actor,
                )
        except IntegrityError:
            # A concurrent call with the same key (or a second refund of one spend)
            # committed first; our savepoint undid the balance update.
            winner = PointsEntry.objects.filter(idempotency_key=key).first()
            if winner is None and refund_of is not None:
                winner = PointsEntry.objects.filter(refund_of=refund_of).first()
            if winner is None:
                raise
            return _replay(winner, user)
        return Posting(entry.public_id, entry.delta, entry.balance_after, replayed=False)


def _positive(points) -> int:
    if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
        raise InvalidInput(_("The number of points must be a positive whole number."))
    return points


def points_earn(
    *, user, points: int, reason: str, idempotency_key: str, reference: str = "", note: str = ""
) -> Posting:
    return post(
        user=user,
        delta=_positive(points),
        reason=reason,
        idempotency_key=idempotency_key,
        reference=reference,
        note=note,
    )


def points_spend(
    *, user, points: int, reason: str, idempotency_key: str, reference: str = "", note: str = ""
) -> Posting:
    """Take points away; ``points_insufficient`` (and nothing written) if there are too few."""
    return post(
        user=user,
        delta=-_positive(points),
        reason=reason,
        idempotency_key=idempotency_key,
        reference=reference,
        note=note,
    )


def points_refund(*, idempotency_key_of_spend: str, idempotency_key: str) -> Posting:
    """Give a spend back in full, once; a second refund of it returns the first."""
    with transaction.atomic():
        existing = PointsEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replay(existing, None)
        spend = PointsEntry.objects.filter(
            idempotency_key=idempotency_key_of_spend, delta__lt=0
        ).first()
        if spend is None:
            raise NotFound(_("There is no such use of points."), code="points_spend_not_found")
        earlier = PointsEntry.objects.filter(refund_of=spend).first()
        if earlier is not None:
            return _replay(earlier, None)
        return post(
            user=spend.user,
            delta=-spend.delta,
            reason=PointsReason.REFUND,
            idempotency_key=idempotency_key,
            reference=spend.reference,
            refund_of=spend,
        )


def points_earned_reverse(*, idempotency_key_of_earn: str, idempotency_key: str) -> Posting | None:
    """Take back points earned on a purchase that was refunded, once.

    Points already spent stay spent: the balance never goes below zero, so at most the
    balance is taken back. ``None`` when there was nothing to take.
    """
    with transaction.atomic():
        existing = PointsEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replay(existing, None)
        earn = PointsEntry.objects.filter(
            idempotency_key=idempotency_key_of_earn, delta__gt=0
        ).first()
        if earn is None or PointsEntry.objects.filter(refund_of=earn).exists():
            return None
        balance = PointsAccount.objects.filter(user=earn.user).values_list("balance", flat=True)
        taken = min(earn.delta, balance.first() or 0)
        if taken <= 0:
            return None
        return post(
            user=earn.user,
            delta=-taken,
            reason=PointsReason.REFUND,
            idempotency_key=idempotency_key,
            reference=earn.reference,
            refund_of=earn,
        )


def points_earned_take_back(
    *, idempotency_key_of_earn: str, idempotency_key: str, refunded_fen: int, paid_fen: int
) -> Posting | None:
    """Take back the share of a purchase's points that its refunds so far stand for.

    After refunds of ``refunded_fen`` of ``paid_fen``, ``earned × refunded / paid``
    (rounded down, all of it once everything is refunded) has been taken back in all:
    each partial refund takes the difference, under its own key, so a repeated call
    changes nothing and the rounding never adds up to more than was earned. Points
    already spent stay spent: never more than the balance. ``None`` when there is
    nothing to take.
    """
    if not (isinstance(paid_fen, int) and isinstance(refunded_fen, int)) or paid_fen <= 0:
        raise InvalidInput(_("The amounts must be whole numbers of fen."))
    refunded_fen = max(0, min(refunded_fen, paid_fen))
    with transaction.atomic():
        existing = PointsEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replay(existing, None)
        earn = PointsEntry.objects.filter(
            idempotency_key=idempotency_key_of_earn, delta__gt=0
        ).first()
        if earn is None:
            return None
        taken_so_far = -sum(
            PointsEntry.objects.filter(
                user=earn.user,
                reason=PointsReason.REFUND,
                idempotency_key__startswith=f"{idempotency_key_of_earn}:back:",
            ).values_list("delta", flat=True)
        )
        if PointsEntry.objects.filter(refund_of=earn).exists():
            taken_so_far = earn.delta  # taken back whole, the way full refunds once did
        due = earn.delta * refunded_fen // paid_fen - taken_so_far
        balance = PointsAccount.objects.filter(user=earn.user).values_list("balance", flat=True)
        taken = min(due, balance.first() or 0)
        if taken <= 0:
            return None
        return post(
            user=earn.user,
            delta=-taken,
            reason=PointsReason.REFUND,
            idempotency_key=idempotency_key,
            reference=earn.reference,
        )


def points_for_paid_spend(
    *, user, paid_fen: int, idempotency_key: str, reference: str
) -> Posting | None:
    """Points for money paid (YACHI_POINTS_EARNED_PER_YUAN per whole yuan); ``None``
    when it comes to less than one point."""
    if not isinstance(paid_fen, int) or paid_fen < 0:
        raise InvalidInput(_("The amount paid must be a whole number of fen."))
    points = paid_fen * points_earned_per_yuan() // FEN_PER_YUAN
    if points <= 0:
        return None
    return post(
        user=user,
        delta=points,
        reason=PointsReason.PAID_SPEND,
        idempotency_key=idempotency_key,
        reference=reference,
    )


def points_adjust(*, actor, user, delta: int, note: str, idempotency_key: str) -> Posting:
    """A manager's correction, up or down, with the reason written on the entry."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Say why the points are adjusted."), code="reason_required")
    if not user.is_patient:
        raise InvalidInput(_("Only patients collect points."), code="not_a_patient")
    with transaction.atomic():
        posting = post(
            user=user,
            delta=delta,
            reason=PointsReason.ADJUSTMENT,
            idempotency_key=idempotency_key,
            note=note,
            actor=actor,
        )
        if not posting.replayed:
            audit_record(
                action=AuditAction.POINTS_ADJUSTED,
                actor=actor,
                object_type="user",
                object_id=user.public_id,
                details={"delta": delta, "note": note},
            )
    return posting
