"""What other contexts may use of payments.

An owner (the mall, booking) asks for money with ``intent_create`` and registers
``on_paid`` / ``on_closed`` / ``on_refunded`` for its purpose with ``register_owner`` in
its ``AppConfig.ready()``; the payer pays through the payments API and pages.
"""

from yachi.payments.choices import IntentStatus, Method, Purpose
from yachi.payments.compensation import compensate
from yachi.payments.errors import CannotFulfil
from yachi.payments.fulfilment import register as register_owner
from yachi.payments.models import PaymentIntent
from yachi.payments.services import (
    balance_fen,
    intent_close,
    intent_create,
    refund_request,
)

LIVE = (IntentStatus.CREATED, IntentStatus.PAID)


def intents_by_reference(references) -> dict[str, PaymentIntent]:
    """For each reference, its live intent (awaiting payment or paid), else the newest
    one; one query for them all."""
    found: dict[str, PaymentIntent] = {}
    for intent in PaymentIntent.objects.filter(reference__in=list(references)).order_by(
        "created_at", "pk"
    ):
        current = found.get(intent.reference)
        if current is None or current.status not in LIVE or intent.status in LIVE:
            found[intent.reference] = intent
    return found


def intent_by_reference(reference: str) -> PaymentIntent | None:
    return intents_by_reference([reference]).get(reference)


__all__ = [
    "CannotFulfil",
    "IntentStatus",
    "Method",
    "PaymentIntent",
    "Purpose",
    "balance_fen",
    "compensate",
    "intent_by_reference",
    "intent_close",
    "intent_create",
    "intents_by_reference",
    "refund_request",
    "register_owner",
]
