"""What other contexts may use of payments.

A treatment bill is made of lines (``bill_create(lines=[LineDraft(...)])``); a line is
added to an unpaid bill with ``bill_line_add`` (the desk, or a flow such as a treatment
voucher) and taken off with ``bill_line_remove``: the bill's total and its payment follow.

An owner (the mall, booking) asks for money with ``intent_create`` (or, writing what is
to be paid and its intent in one statement, takes the intent's row from ``intent_row``)
and registers ``on_paid`` / ``on_closed`` / ``on_refunded`` for its purpose with
``register_owner`` in its ``AppConfig.ready()``; the payer pays through the payments API
and pages. ``register_refund_listener`` follows every refund (financing's red-letter
invoices); ``paid_payment`` and ``receipt_pdf`` are a payment as its documents need it.
"""

from yachi.payments.access import access_payment_by_id
from yachi.payments.bills import (
    BillSettled,
    LineDraft,
    bill_create,
    bill_line_add,
    bill_line_remove,
)
from yachi.payments.choices import IntentStatus, LineKind, Method, Purpose
from yachi.payments.compensation import compensate
from yachi.payments.documents import PaidPayment, paid_payment, receipt_pdf
from yachi.payments.errors import CannotFulfil
from yachi.payments.events import BillPaid
from yachi.payments.fulfilment import register as register_owner
from yachi.payments.fulfilment import register_refund_listener
from yachi.payments.receipts import (
    ReceiptLine,
    ReceiptVisit,
    VisitBill,
    bills_of_appointments,
    register_payment_documents,
    register_receipt_visit,
)

# The managers' dashboards (CRM, ADR 0053).
from yachi.payments.reports import MoneyRow, money_between
from yachi.payments.rows import IntentRow, intent_row
from yachi.payments.schemas import BillLineOut
from yachi.payments.selectors import (
    BillRow,
    bill_rows,
    intent_by_reference,
    intent_statuses_by_reference,
    intents_by_reference,
    spend_by_payers,
)
from yachi.payments.services import (
    balance_fen,
    intent_close,
    intent_create,
    refund_request,
)
from yachi.payments.shares import (
    BillFacts,
    BillLineFacts,
    ShareRefused,
    bill_facts,
    bill_payment_of_share,
    bill_share_return,
    bill_share_take,
    shares_of,
)

__all__ = [
    "BillFacts",
    "BillLineFacts",
    "BillLineOut",
    "BillPaid",
    "BillRow",
    "BillSettled",
    "CannotFulfil",
    "IntentRow",
    "IntentStatus",
    "LineDraft",
    "LineKind",
    "Method",
    "MoneyRow",
    "PaidPayment",
    "Purpose",
    "ReceiptLine",
    "ReceiptVisit",
    "ShareRefused",
    "VisitBill",
    "access_payment_by_id",
    "balance_fen",
    "bill_create",
    "bill_facts",
    "bill_line_add",
    "bill_line_remove",
    "bill_payment_of_share",
    "bill_rows",
    "bill_share_return",
    "bill_share_take",
    "bills_of_appointments",
    "compensate",
    "intent_by_reference",
    "intent_close",
    "intent_create",
    "intent_row",
    "intent_statuses_by_reference",
    "intents_by_reference",
    "money_between",
    "paid_payment",
    "receipt_pdf",
    "refund_request",
    "register_owner",
    "register_payment_documents",
    "register_receipt_visit",
    "register_refund_listener",
    "shares_of",
    "spend_by_payers",
]
