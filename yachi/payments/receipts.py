"""Receipts (收据) of paid payments, and the bills of visits.

A receipt says that the clinic received the money: what for, how much before and after a
coupon, how it was paid, what went back. It is not a 发票 (the tax invoice, which the
insurance context will issue). A bill that charges for a visit names the appointment;
booking, which stands above payments, tells what the receipt says of that visit
(``register_receipt_visit``), and reads the bills of visits with ``bills_of_appointments``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from yachi.core.errors import NotFound
from yachi.payments.bills import bill_of
from yachi.payments.choices import IntentStatus, LineKind, Method, Purpose
from yachi.payments.models import Bill, BillLine, PaymentIntent


@dataclass(frozen=True)
class ReceiptVisit:
    """What a receipt says of the visit it was paid for."""

    patient: str
    doctor: str
    service: str
    start: datetime
    timezone: str


_visit_readers: list[Callable] = []

# What other documents of a payment say, shown beside its receipt and on the desk's bill
# page: ``read(intent) -> [(label, text)]``; financing registers the invoice's status.
_document_readers: list[Callable] = []


def register_payment_documents(read: Callable) -> None:
    _document_readers[:] = [read]


def payment_documents(intent) -> list[tuple[str, str]]:
    return list(_document_readers[0](intent)) if _document_readers else []


def register_receipt_visit(read: Callable) -> None:
    """``read(appointment_id)`` → a ``ReceiptVisit`` or None; booking registers it."""
    _visit_readers[:] = [read]


@dataclass(frozen=True)
class ReceiptLine:
    """One line of a bill as the patient and the receipt show it (收费明细)."""

    position: int
    kind: str
    kind_display: str
    item_code: str
    description: str
    unit: str
    quantity: int
    unit_fen: int
    total_fen: int
    discount_fen: int

    @property
    def amount_fen(self) -> int:
        return self.total_fen - self.discount_fen


def _shown(line: BillLine) -> ReceiptLine:
    return ReceiptLine(
        position=line.position,
        kind=line.kind,
        kind_display=str(LineKind(line.kind).label),
        item_code=line.item_code,
        description=line.description,
        unit=line.unit,
        quantity=line.quantity,
        unit_fen=line.unit_fen,
        total_fen=line.total_fen,
        discount_fen=line.discount_fen,
    )


def lines_of_bills(bills: list[Bill]) -> dict[int, list[ReceiptLine]]:
    """Per bill (its pk), its lines in order; one query."""
    found: dict[int, list[ReceiptLine]] = {}
    for line in BillLine.objects.filter(bill__in=bills).order_by("bill_id", "position"):
        found.setdefault(line.bill_id, []).append(_shown(line))
    return found


@dataclass(frozen=True)
class VisitBill:
    """A visit's bill as its patient sees it."""

    bill_id: object
    payment_id: object
    description: str
    list_fen: int
    discount_fen: int
    amount_fen: int
    refunded_fen: int
    status: str
    status_label: str
    paid_at: datetime | None
    has_receipt: bool
    lines: tuple[ReceiptLine, ...] = ()


def bills_of_appointments(appointment_ids) -> dict[int, list[VisitBill]]:
    """Per appointment, its bills (oldest first) with their lines and their payment's
    state; three queries."""
    bills = list(
        Bill.objects.filter(appointment_id__in=list(appointment_ids)).order_by("created_at", "pk")
    )
    if not bills:
        return {}
    intents = _intents_of(bills)
    lines = lines_of_bills(bills)
    found: dict[int, list[VisitBill]] = {}
    for bill in bills:
        intent = intents.get(bill.reference)
        if intent is None:
            continue
        found.setdefault(bill.appointment_id, []).append(
            VisitBill(
                bill_id=bill.public_id,
                payment_id=intent.public_id,
                description=bill.description,
                list_fen=bill.list_fen,
                discount_fen=bill.discount_fen,
                amount_fen=intent.amount_fen,
                refunded_fen=intent.refunded_fen,
                status=intent.status,
                status_label=str(IntentStatus(intent.status).label),
                paid_at=intent.paid_at,
                has_receipt=intent.paid_at is not None,
                lines=tuple(lines.get(bill.pk, ())),
            )
        )
    return found


def _intents_of(bills: list[Bill]) -> dict[str, PaymentIntent]:
    """The live intent of each bill (awaiting payment or paid), else its newest."""
    live = (IntentStatus.CREATED, IntentStatus.PAID)
    found: dict[str, PaymentIntent] = {}
    references = [bill.reference for bill in bills]
    for intent in PaymentIntent.objects.filter(reference__in=references).order_by(
        "created_at", "pk"
    ):
        current = found.get(intent.reference)
        if current is None or current.status not in live or intent.status in live:
            found[intent.reference] = intent
    return found


@dataclass(frozen=True)
class Receipt:
    number: str
    clinic_name: str
    clinic_address: str
    clinic_phone: str
    timezone: str
    payer: str
    purpose: str
    description: str
    list_fen: int
    discount_fen: int
    paid_fen: int
    refunded_fen: int
    method: str
    paid_at: datetime
    status: str
    status_label: str
    visit: ReceiptVisit | None
    lines: tuple[ReceiptLine, ...] = ()

    @property
    def kept_fen(self) -> int:
        """What the clinic kept: paid less refunded."""
        return self.paid_fen - self.refunded_fen


def receipt_of(intent: PaymentIntent) -> Receipt:
    """The receipt of a paid payment (the caller fetched it through ``access``)."""
    if intent.paid_at is None:
        raise NotFound(
            _("There is no receipt yet: this payment has not been made."), code="not_paid"
        )
    bill = bill_of(intent) if intent.purpose == Purpose.BILL else None
    visit = None
    if bill is not None and bill.appointment_id and _visit_readers:
        visit = _visit_readers[0](bill.appointment_id)
    clinic = intent.clinic
    return Receipt(
        number=intent.out_trade_no,
        clinic_name=clinic.display_name if clinic else "",
        clinic_address=clinic.address if clinic else "",
        clinic_phone=clinic.phone if clinic else "",
        timezone=clinic.timezone if clinic else "Asia/Shanghai",
        payer=intent.payer.name if intent.payer else "",
        purpose=str(Purpose(intent.purpose).label),
        description=intent.description,
        list_fen=bill.list_fen if bill else intent.amount_fen,
        discount_fen=bill.discount_fen if bill else 0,
        paid_fen=intent.amount_fen,
        refunded_fen=intent.refunded_fen,
        method=str(Method(intent.method).label) if intent.method else "",
        paid_at=intent.paid_at,
        status=intent.status,
        status_label=str(IntentStatus(intent.status).label),
        visit=visit,
        lines=tuple(lines_of_bills([bill]).get(bill.pk, ())) if bill is not None else (),
    )


def receipt_css() -> str:
    """The receipt's style, written into the page itself (a file kept offline, a sheet
    printed at the desk: no stylesheet to fetch)."""
    from django.contrib.staticfiles import finders

    path = finders.find("payments/receipt.css")
    with open(path, encoding="utf-8") as file:
        return file.read()
