"""Every change to payments: create, pay, close, refund, settle.

Money arrives through ``payment_received`` only (a verified callback, a query, a
reconciliation or the front desk) and leaves through ``refund_*`` only; both write one
ledger entry with a unique key, so repeating them changes nothing.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput
from yachi.payments import fulfilment
from yachi.payments.choices import (
    DESK_METHODS,
    EntryKind,
    IntentStatus,
    Method,
    RefundStatus,
)
from yachi.payments.errors import (
    AmountChanged,
    CannotFulfil,
    NotPayable,
    PaymentExists,
    RefundTooLarge,
)
from yachi.payments.models import LedgerEntry, PaymentIntent, Refund
from yachi.payments.numbers import new_number

logger = logging.getLogger(__name__)


class AmountMismatch(Exception):
    pass


def intent_create(
    *,
    purpose: str,
    reference: str,
    amount_fen: int,
    description: str,
    payer=None,
    clinic=None,
    pay_within: timedelta | None = None,
    now: datetime | None = None,
) -> PaymentIntent:
    """Ask for ``amount_fen`` for the thing ``reference`` names; one live intent each.
    (An owner that writes the reference and its intent in one statement takes the
    intent's row from ``rows.intent_row`` instead.)"""
    if amount_fen <= 0:
        raise InvalidInput(_("The amount must be more than zero."))
    now = now or timezone.now()
    pay_within = pay_within or timedelta(minutes=settings.YACHI_PAYMENT_WINDOW_MINUTES)
    try:
        with transaction.atomic():
            return PaymentIntent.objects.create(
                purpose=purpose,
                reference=reference,
                description=description[:120],
                payer=payer,
                clinic=clinic,
                amount_fen=amount_fen,
                out_trade_no=new_number("YC"),
                expires_at=now + pay_within,
            )
    except IntegrityError as exc:
        raise PaymentExists() from exc


def _ledger(
    *, intent, kind, amount_fen, method, key, provider_reference="", by=None, now, tendered_fen=None
):
    LedgerEntry.objects.create(
        tendered_fen=tendered_fen,
        intent=intent,
        kind=kind,
        amount_fen=amount_fen,
        method=method,
        key=key,
        provider_reference=provider_reference[:64],
        recorded_by=by,
        created_at=now,
    )


def payment_received(
    *,
    method: str,
    out_trade_no: str,
    amount_fen: int,
    provider_trade_no: str = "",
    paid_at: datetime | None = None,
    recorded_by=None,
    source: str,
    tendered_fen: int | None = None,
) -> tuple[PaymentIntent, bool]:
    """Record that the intent was paid. Returns the intent and whether this call applied it.

    A payment for a closed intent is still money we hold: it is recorded, and settling
    then finds the thing gone and sends it back.
    """
    now = timezone.now()
    with transaction.atomic():
        intent = PaymentIntent.objects.select_for_update().get(out_trade_no=out_trade_no)
        if amount_fen != intent.amount_fen:
            raise AmountMismatch(f"paid {amount_fen} fen, expected {intent.amount_fen}")
        if intent.status not in (IntentStatus.CREATED, IntentStatus.CLOSED):
            return intent, False
        intent.status = IntentStatus.PAID
        intent.method = method
        intent.provider_trade_no = provider_trade_no[:64]
        intent.paid_at = paid_at or now
        intent.save(
            update_fields=["status", "method", "provider_trade_no", "paid_at", "updated_at"]
        )
        _ledger(
            intent=intent,
            kind=EntryKind.CHARGE,
            amount_fen=amount_fen,
            method=method,
            key=f"charge:{out_trade_no}",
            provider_reference=provider_trade_no,
            by=recorded_by,
            now=now,
            tendered_fen=tendered_fen,
        )
        cash = {} if tendered_fen is None else {"tendered_fen": tendered_fen}
        audit_record(
            action=AuditAction.PAYMENT_RECORDED,
            actor=recorded_by,
            object_type="payment",
            object_id=intent.public_id,
            clinic=intent.clinic,
            details={"amount_fen": amount_fen, "method": method, "source": source, **cash},
        )
        transaction.on_commit(lambda: intent_settle(intent_id=intent.pk))
    return intent, True


def desk_payment_record(
    *, actor, intent: PaymentIntent, method: str, tendered_fen: int | None = None
) -> PaymentIntent:
    """Cash or card taken at the front desk for the whole amount.

    For cash, ``tendered_fen`` is what the patient handed over: at least the amount due,
    recorded on the ledger entry with the change it leaves.
    """
    from yachi.core.money import format_yuan

    if method not in DESK_METHODS:
        raise InvalidInput(_("Choose cash or card."))
    if intent.status != IntentStatus.CREATED:
        raise NotPayable()
    if method != Method.CASH:
        tendered_fen = None
    elif tendered_fen is not None and tendered_fen < intent.amount_fen:
        raise InvalidInput(
            _("%(tendered)s received is less than the %(due)s due.")
            % {"tendered": format_yuan(tendered_fen), "due": format_yuan(intent.amount_fen)},
            code="cash_short",
        )
    if intent.method and intent.method not in DESK_METHODS:
        # The patient may be paying online at this moment: close that trade first.
        from yachi.payments.gateway import provider_close

        provider_close(intent)
    try:
        intent, applied = payment_received(
            method=method,
            out_trade_no=intent.out_trade_no,
            amount_fen=intent.amount_fen,
            recorded_by=actor,
            source="front_desk",
            tendered_fen=tendered_fen,
        )
    except AmountMismatch:
        # A line of the bill changed since the desk read it: what was taken is not due.
        raise AmountChanged() from None
    if not applied:
        raise NotPayable()
    return intent


def intent_settle(*, intent_id: int) -> None:
    """Hand a paid intent to its owner; refund and compensate if the owner cannot deliver."""
    failure = None
    with transaction.atomic():
        intent = (
            PaymentIntent.objects.select_for_update()
            .filter(pk=intent_id, status=IntentStatus.PAID, settled_at__isnull=True)
            .first()
        )
        if intent is None:
            return
        owner = fulfilment.owner_of(intent.purpose)
        try:
            with transaction.atomic():
                if owner is not None:
                    owner.on_paid(intent)
        except CannotFulfil as exc:
            failure = exc.message
        except Exception:
            logger.exception("settling payment %s failed", intent.out_trade_no)
            grace = timedelta(minutes=settings.YACHI_PAYMENT_SETTLE_GRACE_MINUTES)
            if intent.paid_at > timezone.now() - grace:
                return  # the sweep tries again; after the grace the payer gets their money back
            failure = _("a system error stopped us from completing it")
        intent.settled_at = timezone.now()
        intent.save(update_fields=["settled_at", "updated_at"])
        if failure is None:
            _revenue_for_attribution(intent, intent.amount_fen, f"payment:{intent.public_id}")
        if failure is not None:
            from yachi.payments.compensation import compensate

            compensate(intent=intent, reason=failure)


def intents_settle_pending(*, older_than: timedelta = timedelta(minutes=1)) -> int:
    """Retry settling paid intents a crash or an error left unsettled."""
    cutoff = timezone.now() - older_than
    ids = list(
        PaymentIntent.objects.filter(
            status=IntentStatus.PAID, settled_at__isnull=True, paid_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for intent_id in ids:
        intent_settle(intent_id=intent_id)
    return len(ids)


def intent_close(*, intent: PaymentIntent, reason: str, at_provider: bool = True) -> bool:
    """Close an unpaid intent and let its owner give back what it held.

    Returns False when it was not open any more (paid meanwhile, or closed already).
    """
    if intent.status != IntentStatus.CREATED:
        return False
    if at_provider and intent.method and intent.method not in DESK_METHODS:
        from yachi.payments.gateway import provider_close_or_collect

        # The payer may have paid a moment ago: then the payment is recorded instead.
        if provider_close_or_collect(intent):
            return False
    with transaction.atomic():
        closed = PaymentIntent.objects.filter(pk=intent.pk, status=IntentStatus.CREATED).update(
            status=IntentStatus.CLOSED, closed_at=timezone.now(), updated_at=timezone.now()
        )
        if not closed:
            return False
        intent.refresh_from_db()
        owner = fulfilment.owner_of(intent.purpose)
        if owner is not None:
            owner.on_closed(intent)
        logger.info("payment %s closed: %s", intent.out_trade_no, reason)
    return True


def intents_close_expired(*, now: datetime | None = None) -> int:
    """Close what was not paid in time (the job runs every minute)."""
    now = now or timezone.now()
    closed = 0
    for intent in PaymentIntent.objects.filter(status=IntentStatus.CREATED, expires_at__lte=now):
        try:
            closed += intent_close(intent=intent, reason="expired")
        except Exception:
            # One provider being down must not keep the others' stock held.
            logger.exception("closing payment %s failed; next run retries", intent.out_trade_no)
    return closed


def refund_request(
    *,
    intent: PaymentIntent,
    amount_fen: int,
    reason: str,
    actor=None,
    key: str | None = None,
) -> Refund:
    """Send money back. The amount is reserved at once, so two refunds cannot overdraw."""
    if intent.method == Method.INSURANCE:
        # The fund's money goes back through the platform, by the settlement's own reversal
        # or refund (yachi.insurance), never through a provider of ours.
        raise NotPayable(
            _("Medical insurance paid this: reverse or refund its settlement instead.")
        )
    if key is not None:
        existing = Refund.objects.filter(out_refund_no=key).first()
        if existing is not None:
            return existing
    with transaction.atomic():
        refund = refund_reserve(
            intent=intent, amount_fen=amount_fen, reason=reason, actor=actor, key=key
        )
        refund_dispatch(refund=refund)
    return refund


def refund_reserve(
    *,
    intent: PaymentIntent,
    amount_fen: int,
    reason: str,
    actor=None,
    key: str | None = None,
    status: str = RefundStatus.PENDING,
) -> Refund:
    """Reserve ``amount_fen`` of the intent and write the refund (audited), not yet sent."""
    if amount_fen <= 0:
        raise InvalidInput(_("The amount must be more than zero."))
    reason = reason.strip()[:80] or _("Refund")
    with transaction.atomic():
        reserved = PaymentIntent.objects.filter(
            pk=intent.pk,
            status=IntentStatus.PAID,
            refunded_fen__lte=F("amount_fen") - amount_fen,
        ).update(refunded_fen=F("refunded_fen") + amount_fen, updated_at=timezone.now())
        if not reserved:
            raise RefundTooLarge()
        intent.refresh_from_db()
        refund = Refund.objects.create(
            intent=intent,
            out_refund_no=key or new_number("RF"),
            amount_fen=amount_fen,
            reason=reason,
            requested_by=actor,
            status=status,
        )
        audit_record(
            action=AuditAction.REFUND_REQUESTED,
            actor=actor,
            object_type="payment",
            object_id=intent.public_id,
            clinic=intent.clinic,
            details={"amount_fen": amount_fen, "reason": reason, "refund": refund.out_refund_no},
        )
    return refund


def refund_dispatch(*, refund: Refund) -> None:
    """Pay a pending refund out: at once for the desk's money, through the provider else."""
    intent = refund.intent
    if intent.method in DESK_METHODS:
        # The desk hands the money back now; nothing to wait for.
        refund_completed(refund=refund)
    else:
        from yachi.payments.tasks import refund_execute

        transaction.on_commit(lambda: refund_execute(refund.pk))


def refund_completed(*, refund: Refund, provider_refund_id: str = "") -> bool:
    """The money is back with the payer: write the ledger entry (once)."""
    now = timezone.now()
    with transaction.atomic():
        done = Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.SUCCEEDED,
            provider_refund_id=provider_refund_id[:64] or refund.provider_refund_id,
            completed_at=now,
            updated_at=now,
        )
        if not done:
            return False
        intent = PaymentIntent.objects.select_for_update().get(pk=refund.intent_id)
        _ledger(
            intent=intent,
            kind=EntryKind.REFUND,
            amount_fen=-refund.amount_fen,
            method=intent.method or Method.CASH,
            key=f"refund:{refund.out_refund_no}",
            provider_reference=provider_refund_id,
            by=refund.requested_by,
            now=now,
        )
        full = (
            intent.refunded_fen >= intent.amount_fen
            and not intent.refunds.filter(
                status__in=(RefundStatus.PENDING, RefundStatus.AWAITING_APPROVAL)
            )
            .exclude(pk=refund.pk)
            .exists()
        )
        if full:
            intent.status = IntentStatus.REFUNDED
            intent.save(update_fields=["status", "updated_at"])
        owner = fulfilment.owner_of(intent.purpose)
        if owner is not None and owner.on_refunded is not None:
            owner.on_refunded(intent, refund, full)
        for listener in fulfilment.refund_listeners():
            listener(intent, refund)
        _revenue_for_attribution(intent, -refund.amount_fen, f"refund:{refund.out_refund_no}")
    return True


def _revenue_for_attribution(intent: PaymentIntent, amount_fen: int, reference: str) -> None:
    """Money received (or refunded) counts for the payer's channel, after commit."""
    from yachi.growth.facade import attribution_conversion

    if intent.payer_id is None or not amount_fen:
        return
    payer, at = intent.payer, timezone.now()
    transaction.on_commit(
        lambda: attribution_conversion(
            user=payer, kind="revenue", reference=reference, at=at, amount_fen=amount_fen
        )
    )


def refund_failed(*, refund: Refund, detail: str) -> bool:
    """The provider refused: the reserved amount becomes refundable again."""
    with transaction.atomic():
        failed = Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.FAILED, updated_at=timezone.now()
        )
        if not failed:
            return False
        PaymentIntent.objects.filter(pk=refund.intent_id).update(
            refunded_fen=F("refunded_fen") - refund.amount_fen, updated_at=timezone.now()
        )
    logger.error("refund %s failed: %s", refund.out_refund_no, detail)
    return True


def balance_fen(intent: PaymentIntent) -> int:
    """What we hold for this intent now: the sum of its ledger entries."""
    return sum(intent.entries.values_list("amount_fen", flat=True))
