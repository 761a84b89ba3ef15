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


def intent_by_reference(reference: str) -> PaymentIntent | None:
    """The live intent for ``reference`` (awaiting payment or paid), else the newest one."""
    intents = PaymentIntent.objects.filter(reference=reference).order_by("-created_at")
    live = intents.filter(status__in=[IntentStatus.CREATED, IntentStatus.PAID]).first()
    return live or intents.first()


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
    "refund_request",
    "register_owner",
]
