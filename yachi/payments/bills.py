"""Treatment bills: the front desk charges for a visit; the patient pays in the app or
at the desk, with a coupon for the treatment if they hold one, and earns points.

The till owns bills, so payments is itself the owner of ``Purpose.BILL``.
"""

from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput
from yachi.payments.choices import IntentStatus, Purpose
from yachi.payments.errors import NotPayable
from yachi.payments.models import Bill, PaymentIntent
from yachi.payments.services import intent_create

MAX_BILL_FEN = 10_000_000
PREFIX = "payments.bill:"


def bill_create(
    *, actor, clinic, payer, amount_fen: int, description: str, service=None, appointment=None
) -> PaymentIntent:
    """A bill for ``payer``; ``service`` (the clinic's) names the treatment for coupons,
    ``appointment`` (booking's, at this clinic) the visit it charges for."""
    description = description.strip()
    if not description and service is not None:
        description = service.name
    if not description:
        raise InvalidInput(_("Say what the bill is for."))
    if amount_fen > MAX_BILL_FEN:
        raise InvalidInput(_("The amount is too large for one bill."))
    if service is not None and service.clinic_id != clinic.pk:
        raise InvalidInput(_("Choose a treatment of this clinic."))
    if appointment is not None and appointment.clinic_id != clinic.pk:
        raise InvalidInput(_("This visit was at another clinic."))
    with transaction.atomic():
        bill = Bill.objects.create(
            clinic=clinic,
            payer=payer,
            created_by=actor,
            description=description[:120],
            service_code=service.code if service is not None else "",
            list_fen=amount_fen,
            appointment=appointment,
        )
        intent = intent_create(
            purpose=Purpose.BILL,
            reference=bill.reference,
            amount_fen=amount_fen,
            description=bill.description,
            payer=payer,
            clinic=clinic,
            pay_within=timedelta(days=settings.YACHI_BILL_DUE_DAYS),
        )
        audit_record(
            action=AuditAction.BILL_CREATED,
            actor=actor,
            object_type="payment",
            object_id=intent.public_id,
            clinic=clinic,
            details={
                "amount_fen": amount_fen,
                "service": bill.service_code,
                **({"appointment": str(appointment.public_id)} if appointment else {}),
            },
        )
    return intent


def bill_of(intent: PaymentIntent) -> Bill | None:
    if intent.purpose != Purpose.BILL or not intent.reference.startswith(PREFIX):
        return None
    return Bill.objects.filter(public_id=UUID(intent.reference.removeprefix(PREFIX))).first()


def _lines(bill: Bill):
    from yachi.growth.facade import QuoteLine

    # A bill without a named treatment fits only coupons that apply to anything.
    code = bill.service_code or "-"
    return [QuoteLine(kind="service", code=code, unit_price_fen=bill.list_fen, quantity=1)]


def bill_coupons(*, intent: PaymentIntent) -> list:
    """The payer's coupons that would take something off this bill, while it is open."""
    from yachi.growth.facade import coupons_usable

    bill = bill_of(intent)
    if bill is None or bill.coupon_id or not _coupon_allowed(intent):
        return []
    return [
        d
        for d in coupons_usable(user=intent.payer, lines=_lines(bill))
        if d.discount_fen < bill.list_fen
    ]


def _coupon_allowed(intent: PaymentIntent) -> bool:
    # Only before any provider has seen the amount: a started trade keeps its amount.
    return intent.status == IntentStatus.CREATED and not intent.method


def bill_apply_coupon(*, actor, intent: PaymentIntent, coupon_id) -> PaymentIntent:
    """Take the payer's coupon off the bill: the coupon is held and the amount lowered.

    The payer does it in the app; the front desk of the bill's clinic at the till, for
    the payer (audited)."""
    from yachi.growth.facade import coupon_hold, coupon_release

    bill = bill_of(intent)
    by_desk = actor.pk != intent.payer_id and actor.is_clinic_staff
    if bill is None or (actor.pk != intent.payer_id and not by_desk):
        raise NotPayable()
    if bill.coupon_id or not _coupon_allowed(intent):
        raise NotPayable(_("A coupon can be used only once, before paying starts."))
    with transaction.atomic():
        discount = coupon_hold(
            user=intent.payer, coupon_id=coupon_id, lines=_lines(bill), reference=bill.reference
        )
        if discount.discount_fen >= bill.list_fen:
            raise InvalidInput(
                _("This coupon covers the whole bill: please ask at the front desk.")
            )
        lowered = PaymentIntent.objects.filter(
            pk=intent.pk, status=IntentStatus.CREATED, method=""
        ).update(amount_fen=bill.list_fen - discount.discount_fen)
        if not lowered:
            coupon_release(reference=bill.reference)
            raise NotPayable()
        Bill.objects.filter(pk=bill.pk).update(
            discount_fen=discount.discount_fen, coupon_id=discount.coupon_id
        )
        if by_desk:
            audit_record(
                action=AuditAction.BILL_CHANGED,
                actor=actor,
                object_type="payment",
                object_id=intent.public_id,
                clinic=intent.clinic,
                details={"coupon": str(discount.coupon_id), "discount_fen": discount.discount_fen},
            )
    intent.refresh_from_db()
    return intent


def on_paid(intent: PaymentIntent) -> None:
    from yachi.growth.facade import coupon_redeem, points_for_paid_spend

    bill = bill_of(intent)
    if bill is None:
        return
    if bill.coupon_id:
        coupon_redeem(reference=bill.reference)
    if intent.payer is not None and intent.payer.is_patient:
        points_for_paid_spend(
            user=intent.payer,
            paid_fen=intent.amount_fen,
            idempotency_key=f"{bill.reference}:earned",
            reference=bill.reference,
        )


def on_closed(intent: PaymentIntent) -> None:
    from yachi.growth.facade import coupon_release

    bill = bill_of(intent)
    if bill is not None and bill.coupon_id:
        coupon_release(reference=bill.reference)


def on_refunded(intent: PaymentIntent, refund, full: bool) -> None:
    """Each refund takes back its share of the points the bill earned (a partial refund
    of a third, a third of them); the last one takes the rest."""
    from yachi.growth.facade import points_earned_take_back

    bill = bill_of(intent)
    if bill is None:
        return
    earn_key = f"{bill.reference}:earned"
    points_earned_take_back(
        idempotency_key_of_earn=earn_key,
        idempotency_key=f"{earn_key}:back:{refund.out_refund_no}",
        refunded_fen=intent.amount_fen if full else _refunded_fen(intent),
        paid_fen=intent.amount_fen,
    )


def _refunded_fen(intent: PaymentIntent) -> int:
    """What has gone back to the payer so far (refunds completed, not only asked for)."""
    from yachi.payments.choices import RefundStatus

    return sum(
        intent.refunds.filter(status=RefundStatus.SUCCEEDED).values_list("amount_fen", flat=True)
    )
