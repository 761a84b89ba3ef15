"""Refunds that need a manager: a refund from the till above
``YACHI_REFUND_APPROVAL_ABOVE_FEN`` is reserved and waits (``awaiting``) until a manager
of the clinic approves it (then it is paid out) or does not (the amount is refundable
again). Both steps are audited. Who may approve is decided in ``may_approve_refund`` only.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, NotFound, PermissionDenied
from yachi.core.models import as_public_id
from yachi.payments.choices import RefundStatus
from yachi.payments.models import PaymentIntent, Refund
from yachi.payments.services import refund_dispatch, refund_request, refund_reserve


def may_approve_refund(*, user, clinic) -> bool:
    """The one place that decides who may approve a large refund: whoever manages that
    clinic (its manager, a regional manager or chain operations over it, an
    administrator; ADR 0026)."""
    return clinics.may_manage(user, clinic)


def needs_approval(*, amount_fen: int) -> bool:
    return amount_fen > settings.YACHI_REFUND_APPROVAL_ABOVE_FEN


def refund_ask(*, actor, intent: PaymentIntent, amount_fen: int, reason: str) -> Refund:
    """A refund asked for at the till: paid out now, or, above the limit and asked by
    someone who may not approve it, reserved to wait for a manager."""
    if not needs_approval(amount_fen=amount_fen) or may_approve_refund(
        user=actor, clinic=intent.clinic
    ):
        return refund_request(intent=intent, amount_fen=amount_fen, reason=reason, actor=actor)
    return refund_reserve(
        intent=intent,
        amount_fen=amount_fen,
        reason=reason,
        actor=actor,
        status=RefundStatus.AWAITING_APPROVAL,
    )


def refunds_awaiting(*, clinic):
    return (
        Refund.objects.filter(intent__clinic=clinic, status=RefundStatus.AWAITING_APPROVAL)
        .select_related("intent", "intent__payer", "requested_by")
        .order_by("created_at")
    )


def access_awaiting_refund(*, actor, refund_id) -> Refund:
    """A refund waiting for approval that ``actor`` may decide; else "not found"/"denied"."""
    public_id = as_public_id(refund_id)
    refund = (
        Refund.objects.select_related("intent", "intent__clinic")
        .filter(public_id=public_id)
        .first()
        if public_id
        else None
    )
    allowed = clinics.staff_clinic_ids(actor)
    if refund is None or (allowed is not None and refund.intent.clinic_id not in allowed):
        raise NotFound(_("Refund not found."), code="refund_not_found")
    if not may_approve_refund(user=actor, clinic=refund.intent.clinic):
        raise PermissionDenied(_("Large refunds are approved by a manager of the clinic."))
    return refund


def _decide(*, actor, refund: Refund, to: str) -> Refund:
    """Approve or decline, once, as someone who may (inside the caller's transaction)."""
    if not may_approve_refund(user=actor, clinic=refund.intent.clinic):
        raise PermissionDenied(_("Large refunds are approved by a manager of the clinic."))
    now = timezone.now()
    decided = Refund.objects.filter(pk=refund.pk, status=RefundStatus.AWAITING_APPROVAL).update(
        status=to, decided_by=actor, decided_at=now, updated_at=now
    )
    if not decided:
        raise Conflict(_("This refund has already been decided."), code="refund_decided")
    refund.refresh_from_db()
    return refund


def refund_approve(*, actor, refund: Refund) -> Refund:
    """The manager approves: the refund is paid out as any other."""
    with transaction.atomic():
        refund = _decide(actor=actor, refund=refund, to=RefundStatus.PENDING)
        audit_record(
            action=AuditAction.REFUND_APPROVED,
            actor=actor,
            object_type="payment",
            object_id=refund.intent.public_id,
            clinic=refund.intent.clinic,
            details={"amount_fen": refund.amount_fen, "refund": refund.out_refund_no},
        )
        refund_dispatch(refund=refund)
    refund.refresh_from_db()
    return refund


def refund_reject(*, actor, refund: Refund) -> Refund:
    """The manager does not approve: the reserved amount is refundable again."""
    with transaction.atomic():
        refund = _decide(actor=actor, refund=refund, to=RefundStatus.REJECTED)
        PaymentIntent.objects.filter(pk=refund.intent_id).update(
            refunded_fen=F("refunded_fen") - refund.amount_fen, updated_at=timezone.now()
        )
        audit_record(
            action=AuditAction.REFUND_REJECTED,
            actor=actor,
            object_type="payment",
            object_id=refund.intent.public_id,
            clinic=refund.intent.clinic,
            details={"amount_fen": refund.amount_fen, "refund": refund.out_refund_no},
        )
    return refund
