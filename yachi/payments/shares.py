"""A treatment bill paid in shares: medical insurance (医保) pays part, the patient the rest.

The bill keeps its own payment, the one the patient pays (its public id is the
``payment_id`` of the API and the pages). A settlement's share is a payment of its own
(purpose ``insurance``, paid at once with its ledger charge by ``Method.INSURANCE``), and
the bill's payment then asks for that much less. When the share is the whole bill, the
bill's own payment is paid with it instead. So a bill paid by the fund, the personal
account and WeChat Pay or cash is one bill with several payments, each in the ledger.

Undoing a share writes the ledger's refund on that share's payment and nothing else. A
reversal (冲正, ``restore=True``) also gives the bill back what the share took off: the
patient owes it again (a new payment for the bill when the share had been the whole
bill). A refund (退费) does not: the bill's own payment is refunded, if at all, on its own.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput
from yachi.payments.choices import DESK_METHODS, EntryKind, IntentStatus, Method, Purpose
from yachi.payments.errors import NotPayable
from yachi.payments.models import Bill, PaymentIntent
from yachi.payments.numbers import new_number

SHARE_PREFIX = "bill-share:"


class ShareRefused(Conflict):
    code = "share_refused"


@dataclass(frozen=True)
class BillLineFacts:
    position: int
    kind: str
    item_code: str
    description: str
    unit: str
    quantity: int
    unit_fen: int
    total_fen: int
    # After the line's share of the coupon: what the patient is asked for on this line.
    amount_fen: int


@dataclass(frozen=True)
class BillFacts:
    """What another context may know of a bill: its payment, clinic, payer, visit, lines."""

    payment_id: UUID
    bill_id: UUID
    clinic_id: int
    payer_id: int
    appointment_id: int | None
    description: str
    status: str
    method: str
    # What the bill's own payment asks for now, and what its lines come to after coupons.
    due_fen: int
    amount_fen: int
    paid_at: object
    lines: tuple[BillLineFacts, ...]


def _bill_of(intent: PaymentIntent) -> Bill | None:
    from yachi.payments.bills import bill_of

    return bill_of(intent)


def bill_facts(intent: PaymentIntent) -> BillFacts | None:
    """The bill ``intent`` pays for, or None when it is not a treatment bill's payment."""
    bill = _bill_of(intent)
    if bill is None:
        return None
    lines = tuple(
        BillLineFacts(
            position=line.position,
            kind=line.kind,
            item_code=line.item_code,
            description=line.description,
            unit=line.unit,
            quantity=line.quantity,
            unit_fen=line.unit_fen,
            total_fen=line.total_fen,
            amount_fen=line.amount_fen,
        )
        for line in bill.lines.order_by("position")
    )
    return BillFacts(
        payment_id=intent.public_id,
        bill_id=bill.public_id,
        clinic_id=bill.clinic_id,
        payer_id=bill.payer_id,
        appointment_id=bill.appointment_id,
        description=bill.description,
        status=intent.status,
        method=intent.method,
        due_fen=intent.amount_fen,
        amount_fen=bill.list_fen - bill.discount_fen,
        paid_at=intent.paid_at,
        lines=lines,
    )


def _share_reference(bill: Bill, key: UUID) -> str:
    return f"{SHARE_PREFIX}{bill.public_id.hex}:{key.hex}"


def _shares(bill: Bill):
    return PaymentIntent.objects.filter(
        purpose=Purpose.INSURANCE, reference__startswith=f"{SHARE_PREFIX}{bill.public_id.hex}:"
    )


def has_live_share(intent: PaymentIntent) -> bool:
    """Whether insurance holds a share of the bill ``intent`` pays (its lines are fixed)."""
    bill = _bill_of(intent)
    return bill is not None and _shares(bill).filter(status=IntentStatus.PAID).exists()


def shares_of(intent: PaymentIntent) -> list[PaymentIntent]:
    """The insurance shares of the bill ``intent`` pays, oldest first."""
    bill = _bill_of(intent)
    return [] if bill is None else list(_shares(bill).order_by("created_at", "pk"))


def _ledger_charge(*, intent, amount_fen, provider_reference, actor, now):
    from yachi.payments.services import _ledger

    _ledger(
        intent=intent,
        kind=EntryKind.CHARGE,
        amount_fen=amount_fen,
        method=Method.INSURANCE,
        key=f"charge:{intent.out_trade_no}",
        provider_reference=provider_reference,
        by=actor,
        now=now,
    )


def bill_share_take(
    *, actor, intent: PaymentIntent, share_fen: int, key: UUID, provider_reference: str
) -> PaymentIntent:
    """Medical insurance paid ``share_fen`` of the bill ``intent`` pays: record it, once per
    ``key`` (the settlement), and return the payment that holds it.

    Refused (nothing changed) when the bill is paid, closed, being paid online, or asks
    for less than the share."""
    from yachi.payments.services import payment_received

    if isinstance(share_fen, bool) or not isinstance(share_fen, int) or share_fen <= 0:
        raise InvalidInput(_("The amount must be more than zero."))
    bill = _bill_of(intent)
    if bill is None:
        raise NotPayable(_("Only a treatment bill can be settled with medical insurance."))
    now = timezone.now()
    with transaction.atomic():
        locked = PaymentIntent.objects.select_for_update().get(pk=intent.pk)
        reference = _share_reference(bill, key)
        done = PaymentIntent.objects.filter(reference=reference, status=IntentStatus.PAID).first()
        if done is not None:
            return done
        if (
            locked.method == Method.INSURANCE
            and locked.status == IntentStatus.PAID
            and locked.provider_trade_no == provider_reference[:64]
        ):
            return locked  # the whole bill, paid by this same settlement
        if locked.status != IntentStatus.CREATED:
            raise NotPayable(_("This bill is paid or closed: nothing is left to settle."))
        if locked.method and locked.method not in DESK_METHODS:
            raise ShareRefused(
                _("The patient has started paying this bill online: close that payment first.")
            )
        if share_fen > locked.amount_fen:
            raise ShareRefused(
                _("Medical insurance cannot pay more than the bill asks for."),
                code="share_too_large",
            )
        if share_fen == locked.amount_fen:
            paid, _applied = payment_received(
                method=Method.INSURANCE,
                out_trade_no=locked.out_trade_no,
                amount_fen=share_fen,
                provider_trade_no=provider_reference,
                recorded_by=actor,
                source="medical_insurance",
            )
            return paid
        PaymentIntent.objects.filter(pk=locked.pk).update(
            amount_fen=F("amount_fen") - share_fen, updated_at=now
        )
        share = PaymentIntent.objects.create(
            purpose=Purpose.INSURANCE,
            reference=reference,
            description=_("Medical insurance: %(bill)s") % {"bill": bill.description[:90]},
            payer=locked.payer,
            clinic=locked.clinic,
            amount_fen=share_fen,
            status=IntentStatus.PAID,
            method=Method.INSURANCE,
            out_trade_no=new_number("YB"),
            provider_trade_no=provider_reference[:64],
            expires_at=now,
            paid_at=now,
            # Nothing waits on it: the bill is fulfilled when the patient's part is paid.
            settled_at=now,
        )
        _ledger_charge(
            intent=share,
            amount_fen=share_fen,
            provider_reference=provider_reference,
            actor=actor,
            now=now,
        )
        audit_record(
            action=AuditAction.PAYMENT_RECORDED,
            actor=actor,
            object_type="payment",
            object_id=locked.public_id,
            clinic=locked.clinic,
            details={
                "amount_fen": share_fen,
                "method": Method.INSURANCE,
                "source": "medical_insurance",
                "share": str(share.public_id),
                "due_fen": locked.amount_fen - share_fen,
            },
        )
    return share


def bill_share_return(
    *,
    actor,
    share: PaymentIntent,
    bill_payment: PaymentIntent,
    restore: bool,
    reason: str,
    provider_reference: str,
) -> PaymentIntent:
    """Insurance took its share back (a reversal with ``restore``, else a refund): the
    ledger's refund on the share's payment. Returns the bill's payment the patient now
    owes (a new one when the share had been the whole bill and ``restore``)."""
    from yachi.payments.services import intent_create, refund_completed, refund_reserve

    bill = _bill_of(bill_payment)
    if bill is None:
        raise NotPayable(_("Only a treatment bill can be settled with medical insurance."))
    with transaction.atomic():
        main = PaymentIntent.objects.select_for_update().get(pk=bill_payment.pk)
        held = PaymentIntent.objects.select_for_update().get(pk=share.pk)
        if held.method != Method.INSURANCE or held.status != IntentStatus.PAID:
            raise ShareRefused(_("This medical-insurance payment is already undone."))
        whole = held.pk == main.pk
        if restore and not whole and main.status != IntentStatus.CREATED:
            raise ShareRefused(
                _(
                    "The rest of this bill is paid already: refund the settlement instead "
                    "of reversing it."
                ),
                code="bill_paid_refund_instead",
            )
        refund = refund_reserve(
            intent=held,
            amount_fen=held.amount_fen - held.refunded_fen,
            reason=reason,
            actor=actor,
            key=new_number("YR"),
        )
        refund_completed(refund=refund, provider_refund_id=provider_reference)
        if not restore:
            main.refresh_from_db()
            return main
        if whole:
            return intent_create(
                purpose=Purpose.BILL,
                reference=bill.reference,
                amount_fen=held.amount_fen,
                description=bill.description,
                payer=main.payer,
                clinic=main.clinic,
                pay_within=main.expires_at - main.created_at,
            )
        PaymentIntent.objects.filter(pk=main.pk).update(
            amount_fen=F("amount_fen") + held.amount_fen, updated_at=timezone.now()
        )
        main.refresh_from_db()
        return main


def bill_payment_of_share(share: PaymentIntent) -> PaymentIntent | None:
    """The bill's own live payment (or its latest) for a share's payment."""
    if share.purpose == Purpose.BILL:
        return share
    if not share.reference.startswith(SHARE_PREFIX):
        return None
    bill_hex = share.reference.removeprefix(SHARE_PREFIX).split(":")[0]
    try:
        bill = Bill.objects.get(public_id=UUID(bill_hex))
    except (ValueError, Bill.DoesNotExist):
        return None
    return PaymentIntent.objects.filter(reference=bill.reference).order_by("-created_at").first()
