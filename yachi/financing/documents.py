"""What a payment's receipt page and the desk's bill page say of its invoice."""

from django.utils.translation import gettext as _

from yachi.financing.choices import InvoiceKind, InvoiceStatus
from yachi.financing.models import Invoice


def _yuan(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


def invoice_lines(intent) -> list[tuple[str, str]]:
    found = []
    for invoice in Invoice.objects.filter(payment_id=intent.pk).order_by("created_at", "pk"):
        label = _("Invoice") if invoice.kind == InvoiceKind.BLUE else _("Red-letter invoice")
        parts = [str(InvoiceStatus(invoice.status).label), _yuan(invoice.amount_fen)]
        if invoice.invoice_number:
            parts.append(invoice.invoice_number)
        found.append((label, " · ".join(parts)))
    return found
