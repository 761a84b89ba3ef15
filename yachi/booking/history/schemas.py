from datetime import datetime
from uuid import UUID

from ninja import Schema

from yachi.booking.schemas import NamedRef
from yachi.core.schemas import LocalDatetime, PublicOut
from yachi.payments.facade import BillLineOut


class SharedNoteOut(Schema):
    """What the doctor shared of the visit's note: the summary and the advice (医嘱)."""

    summary: str
    advice: str
    doctor: str
    written_at: LocalDatetime


class VisitBillOut(Schema):
    bill_id: UUID
    payment_id: UUID
    description: str
    list_fen: int
    discount_fen: int
    amount_fen: int
    refunded_fen: int
    status: str
    status_display: str
    paid_at: LocalDatetime | None
    # GET /payments/{payment_id}/receipt, once paid.
    has_receipt: bool
    # What the bill charged for, line by line (收费明细).
    lines: list[BillLineOut]


class VisitVoucherOut(Schema):
    """The visit's service, paid in advance by a service voucher (nothing to pay for it)."""

    code: str
    title: str
    service: str
    # What the service costs, and what was paid for the voucher.
    list_fen: int
    paid_fen: int
    status: str


class RebookOut(Schema):
    """Where "再约" starts: the availability of this doctor for this service, or, with no
    doctor, of every doctor of the service; no service: choose one at the clinic again."""

    service_id: UUID | None
    doctor_id: UUID | None
    patient_id: UUID
    clinic_id: UUID


class VisitOut(PublicOut):
    """A completed visit (the appointment's id), with what the family may see of it."""

    start: datetime
    end: datetime
    clinic: NamedRef
    doctor: NamedRef
    service: NamedRef
    patient: NamedRef
    shared: bool
    notes: list[SharedNoteOut]
    bills: list[VisitBillOut]
    paid_by_voucher: VisitVoucherOut | None = None
    rebook: RebookOut | None = None
