"""A paid payment as the documents about it need it: the itemised receipt PDF (收据,
printed at the desk and downloaded in the app) and, through the facade, what an invoice
is made out for (financing's 发票, ADR 0067).

The PDF is drawn by reportlab with its built-in CID font STSong-Light (Adobe-GB1): the
reader supplies the glyphs, so no font file is copied into the repository or the PDF.
Every staff download is in the audit trail.
"""

import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from yachi.compliance.facade import AuditAction, audit_record
from yachi.payments.access import access_payment_by_id
from yachi.payments.receipts import ReceiptLine, receipt_of

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


@dataclass(frozen=True)
class PaidPayment:
    """What an invoice of a payment is made out for."""

    pk: int
    id: object
    clinic_id: int | None
    clinic_name: str
    payer_id: int | None
    description: str
    paid_fen: int
    refunded_fen: int
    paid_at: datetime | None
    status: str
    lines: tuple[ReceiptLine, ...]


def paid_payment(*, actor, payment_id) -> PaidPayment:
    """The payer's or, for staff of its clinic, a payment (404 otherwise)."""
    intent = access_payment_by_id(actor=actor, payment_id=payment_id)
    lines: tuple[ReceiptLine, ...] = ()
    if intent.paid_at is not None:
        lines = receipt_of(intent).lines
    return PaidPayment(
        pk=intent.pk,
        id=intent.public_id,
        clinic_id=intent.clinic_id,
        clinic_name=intent.clinic.display_name if intent.clinic else "",
        payer_id=intent.payer_id,
        description=intent.description,
        paid_fen=intent.amount_fen,
        refunded_fen=intent.refunded_fen,
        paid_at=intent.paid_at,
        status=intent.status,
        lines=lines,
    )


def receipt_pdf(*, actor, payment_id) -> tuple[str, bytes]:
    """``(file name, PDF)`` of a paid payment's receipt; 404 ``not_paid`` before it is paid."""
    intent = access_payment_by_id(actor=actor, payment_id=payment_id)
    receipt = receipt_of(intent)
    if getattr(actor, "is_clinic_staff", False):
        audit_record(
            action=AuditAction.RECEIPT_PRINTED,
            actor=actor,
            object_type="payment",
            object_id=intent.public_id,
            clinic=intent.clinic,
            details={"number": receipt.number},
        )
    return f"receipt-{receipt.number}.pdf", _draw(receipt)


def _draw(receipt) -> bytes:
    buffer = io.BytesIO()
    width, height = A5
    pdf = canvas.Canvas(buffer, pagesize=A5, pageCompression=1)
    pdf.setTitle(f"{_('Receipt')} {receipt.number}")
    pdf.setAuthor(receipt.clinic_name)
    left, right = 12 * mm, width - 12 * mm
    y = height - 16 * mm

    def text(value, x, size=9, align="left"):
        pdf.setFont(FONT, size)
        draw = {"left": pdf.drawString, "right": pdf.drawRightString}[align]
        draw(x, y, str(value))

    def rule():
        pdf.setLineWidth(0.4)
        pdf.line(left, y + 3 * mm, right, y + 3 * mm)

    text(receipt.clinic_name, left, 13)
    y -= 6 * mm
    text(_("Receipt") + "（" + _("not a tax invoice") + "）", left, 11)
    y -= 5 * mm
    text(f"{_('Number')}: {receipt.number}", left, 8)
    paid_at = receipt.paid_at.astimezone(ZoneInfo(receipt.timezone))
    text(f"{_('Paid at')}: {paid_at:%Y-%m-%d %H:%M}", right, 8, "right")
    y -= 5 * mm
    text(f"{_('Payer')}: {receipt.payer}", left, 8)
    text(f"{_('Paid with')}: {receipt.method}", right, 8, "right")
    if receipt.visit is not None:
        y -= 5 * mm
        start = receipt.visit.start.astimezone(ZoneInfo(receipt.visit.timezone))
        text(
            f"{_('Visit')}: {receipt.visit.patient} · {receipt.visit.service} · "
            f"{receipt.visit.doctor} · {start:%Y-%m-%d %H:%M}",
            left,
            8,
        )
    y -= 9 * mm
    text(pgettext("receipt", "Item"), left, 8)
    text(_("Qty"), right - 58 * mm, 8, "right")
    text(_("Unit price"), right - 38 * mm, 8, "right")
    text(_("Amount"), right, 8, "right")
    y -= 5 * mm
    rule()
    lines = receipt.lines or ()
    if not lines:
        text(receipt.description, left, 9)
        text(_yuan(receipt.list_fen), right, 9, "right")
        y -= 5 * mm
    for line in lines:
        if y < 40 * mm:
            pdf.showPage()
            y = height - 16 * mm
        label = line.description if not line.item_code else f"{line.description}"
        text(label[:28], left, 9)
        text(f"{line.quantity} {line.unit}".strip(), right - 58 * mm, 9, "right")
        text(_yuan(line.unit_fen), right - 38 * mm, 9, "right")
        text(_yuan(line.total_fen), right, 9, "right")
        y -= 5 * mm
        if line.discount_fen:
            text(_("Coupon"), left + 4 * mm, 8)
            text(_yuan(-line.discount_fen), right, 8, "right")
            y -= 5 * mm
    rule()
    rows = [(_("Total"), receipt.list_fen)]
    if receipt.discount_fen:
        rows.append((_("Coupon"), -receipt.discount_fen))
    rows.append((_("Paid"), receipt.paid_fen))
    if receipt.refunded_fen:
        rows.append((_("Refunded"), -receipt.refunded_fen))
        rows.append((_("Kept by the clinic"), receipt.kept_fen))
    for label, fen in rows:
        text(label, right - 38 * mm, 9, "right")
        text(_yuan(fen), right, 9, "right")
        y -= 5 * mm
    y -= 6 * mm
    text(f"{receipt.clinic_address}  {receipt.clinic_phone}".strip(), left, 7)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
