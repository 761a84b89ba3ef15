"""What other contexts may use of payments.

An owner (the mall, booking) asks for money with ``intent_create`` and registers
``on_paid`` / ``on_closed`` / ``on_refunded`` for its purpose with ``register_owner`` in
its ``AppConfig.ready()``; the payer pays through the payments API and pages.
"""

from yachi.payments.bills import bill_create
from yachi.payments.choices import IntentStatus, Method, Purpose
from yachi.payments.compensation import compensate
from yachi.payments.errors import CannotFulfil
from yachi.payments.fulfilment import register as register_owner
from yachi.payments.receipts import (
    ReceiptVisit,
    VisitBill,
    bills_of_appointments,
    register_receipt_visit,
)
from yachi.payments.selectors import (
    intent_by_reference,
    intent_statuses_by_reference,
    intents_by_reference,
)
from yachi.payments.services import (
    balance_fen,
    intent_close,
    intent_create,
    refund_request,
)

__all__ = [
    "CannotFulfil",
    "IntentStatus",
    "Method",
    "Purpose",
    "ReceiptVisit",
    "VisitBill",
    "balance_fen",
    "bill_create",
    "bills_of_appointments",
    "compensate",
    "intent_by_reference",
    "intent_close",
    "intent_create",
    "intent_statuses_by_reference",
    "intents_by_reference",
    "refund_request",
    "register_owner",
    "register_receipt_visit",
]
