"""Payments for growth's group-buys (ADR 0048).

Growth stands beneath payments, so it cannot ask for money itself: payments lends it
what it needs (``register_group_buy_payments``) and registers group-buys' handlers as
the owner of ``Purpose.GROUP_BUY`` payments, turning a lost place into ``CannotFulfil``
(the payer is refunded and compensated).
"""

from yachi.growth import facade as growth
from yachi.payments import fulfilment
from yachi.payments.choices import IntentStatus, Purpose
from yachi.payments.errors import CannotFulfil
from yachi.payments.models import PaymentIntent
from yachi.payments.services import intent_close, intent_create, refund_request


def _create(*, reference, amount_fen, description, payer, clinic, pay_within=None):
    return intent_create(
        purpose=Purpose.GROUP_BUY,
        reference=reference,
        amount_fen=amount_fen,
        description=description,
        payer=payer,
        clinic=clinic,
        pay_within=pay_within,
    )


def _intent_of(reference: str):
    return PaymentIntent.objects.filter(purpose=Purpose.GROUP_BUY, reference=reference).first()


def _refund(*, intent, reason: str, key: str) -> None:
    left = intent.amount_fen - intent.refunded_fen
    if intent.status == IntentStatus.PAID and left > 0:
        refund_request(intent=intent, amount_fen=left, reason=reason, key=key)


def _close(*, intent, reason: str) -> bool:
    return intent_close(intent=intent, reason=reason)


def _on_paid(intent) -> None:
    try:
        growth.group_buy_on_paid(intent)
    except growth.GroupBuyPlaceLost as lost:
        raise CannotFulfil(lost.message) from None


def register() -> None:
    growth.register_group_buy_payments(
        growth.GroupBuyPayments(
            intent_create=_create, intent_of=_intent_of, refund=_refund, close=_close
        )
    )
    fulfilment.register(
        Purpose.GROUP_BUY,
        on_paid=_on_paid,
        on_closed=growth.group_buy_on_closed,
        on_refunded=growth.group_buy_on_refunded,
        link=growth.group_buy_link,
    )
