"""Invoices of payments: the buyer kept once, the blue invoice asked for by the payer (or
the desk), the red-letter invoice of each refund; issued through the provider at once and
retried by a job when it did not answer."""

import re
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput, NotFound
from yachi.financing.choices import BuyerKind, InvoiceKind, InvoiceStatus
from yachi.financing.invoicing import provider
from yachi.financing.invoicing.taxnumbers import is_credit_code
from yachi.financing.models import Invoice, InvoiceBuyer
from yachi.messaging import facade as messaging
from yachi.payments import facade as payments

MAX_ATTEMPTS = 5
_SPACES = re.compile(r"\s+")


def buyer_of(user) -> InvoiceBuyer | None:
    return InvoiceBuyer.objects.filter(owner_id=user.pk).first()


def _clean_buyer(kind, name, tax_number) -> tuple[str, str, str]:
    if kind not in BuyerKind.values:
        raise InvalidInput(_("Choose a personal or a company invoice."), code="invalid_buyer_kind")
    name = _SPACES.sub(" ", str(name or "")).strip()
    if not 2 <= len(name) <= 100:
        raise InvalidInput(
            _("Enter the buyer's name as it should appear on the invoice."), code="invalid_buyer"
        )
    tax_number = str(tax_number or "").strip().upper()
    if kind == BuyerKind.COMPANY:
        if not is_credit_code(tax_number):
            raise InvalidInput(
                _("This is not a valid unified social credit code (18 characters)."),
                code="invalid_tax_number",
            )
    elif tax_number:
        raise InvalidInput(_("A personal invoice has no tax number."), code="invalid_tax_number")
    return kind, name, tax_number


def buyer_save(*, user, kind, name, tax_number="") -> InvoiceBuyer:
    kind, name, tax_number = _clean_buyer(kind, name, tax_number)
    with transaction.atomic():
        buyer, _created = InvoiceBuyer.objects.update_or_create(
            owner_id=user.pk, defaults={"kind": kind, "name": name, "tax_number": tax_number}
        )
    return buyer


def invoices_of_payment(payment_pk: int) -> list[Invoice]:
    return list(Invoice.objects.filter(payment_id=payment_pk).order_by("created_at", "pk"))


def invoice_request(*, actor, payment_id, kind=None, name=None, tax_number=None) -> Invoice:
    """The payment's invoice: the buyer given (and kept for the payer) or the one kept."""
    paid = payments.paid_payment(actor=actor, payment_id=payment_id)
    if paid.paid_at is None:
        raise NotFound(
            _("There is no invoice yet: this payment has not been made."), code="not_paid"
        )
    kept = paid.paid_fen - paid.refunded_fen
    if kept <= 0:
        raise Conflict(_("This payment was refunded in full."), code="refunded")
    existing = Invoice.objects.filter(payment_id=paid.pk, kind=InvoiceKind.BLUE).first()
    if existing is not None:
        if existing.status == InvoiceStatus.FAILED:
            _issue(existing)
            existing.refresh_from_db()
        return existing
    if kind is None and name is None:
        buyer = InvoiceBuyer.objects.filter(owner_id=paid.payer_id).first()
        if buyer is None:
            raise InvalidInput(_("Enter whom the invoice is made out to."), code="buyer_required")
        kind, name, tax_number = buyer.kind, buyer.name, buyer.tax_number
    else:
        kind, name, tax_number = _clean_buyer(kind, name, tax_number)
    try:
        with transaction.atomic():
            if paid.payer_id and getattr(actor, "pk", None) == paid.payer_id:
                InvoiceBuyer.objects.update_or_create(
                    owner_id=paid.payer_id,
                    defaults={"kind": kind, "name": name, "tax_number": tax_number},
                )
            invoice = Invoice.objects.create(
                payment_id=paid.pk,
                clinic_id=paid.clinic_id,
                requested_by_id=actor.pk,
                kind=InvoiceKind.BLUE,
                request_no=f"INV-{paid.id.hex}",
                amount_fen=kept,
                buyer_kind=kind,
                buyer_name=name,
                buyer_tax_number=tax_number,
            )
            audit_record(
                action=AuditAction.INVOICE_REQUESTED,
                actor=actor,
                object_type="payment",
                object_id=paid.id,
                details={"invoice": str(invoice.public_id), "kind": "blue", "amount_fen": kept},
            )
    except IntegrityError:
        # Asked for twice at once: the first request stands.
        return Invoice.objects.get(payment_id=paid.pk, kind=InvoiceKind.BLUE)
    _issue(invoice)
    invoice.refresh_from_db()
    return invoice


def red_letter_plan(*, intent, refund) -> Invoice | None:
    """Inside a refund's transaction: a red-letter invoice of the refunded amount, when
    the payment has a blue one (issued or still to issue). Issued after commit."""
    blue = (
        Invoice.objects.select_for_update()
        .filter(payment_id=intent.pk, kind=InvoiceKind.BLUE)
        .exclude(status=InvoiceStatus.FAILED)
        .first()
    )
    if blue is None:
        return None
    reversed_fen = sum(r.amount_fen for r in blue.red_letters.all())
    amount = min(refund.amount_fen, blue.amount_fen - reversed_fen)
    if amount <= 0:
        return None
    red, _created = Invoice.objects.get_or_create(
        request_no=f"RED-{refund.out_refund_no}",
        defaults={
            "payment_id": intent.pk,
            "clinic_id": blue.clinic_id,
            "requested_by_id": refund.requested_by_id or blue.requested_by_id,
            "kind": InvoiceKind.RED,
            "original": blue,
            "amount_fen": amount,
            "buyer_kind": blue.buyer_kind,
            "buyer_name": blue.buyer_name,
            "buyer_tax_number": blue.buyer_tax_number,
        },
    )
    audit_record(
        action=AuditAction.INVOICE_REQUESTED,
        actor=refund.requested_by,
        object_type="payment",
        object_id=intent.public_id,
        details={"invoice": str(red.public_id), "kind": "red", "amount_fen": amount},
    )
    pk = red.pk
    transaction.on_commit(lambda: invoice_issue_job(pk))
    return red


def invoice_issue_job(pk: int) -> None:
    from yachi.financing import tasks

    tasks.issue_invoice(pk)


def _request_of(invoice: Invoice) -> dict:
    return {
        "request_no": invoice.request_no,
        "kind": invoice.kind,
        "original_invoice_number": invoice.original.invoice_number if invoice.original else "",
        "seller_tax_number": settings.YACHI_INVOICE_SELLER_TAX_NUMBER,
        "buyer": {
            "kind": invoice.buyer_kind,
            "name": invoice.buyer_name,
            "tax_number": invoice.buyer_tax_number,
        },
        "items": [
            {
                "name": "医疗服务*口腔诊疗",
                "tax_code": provider.MEDICAL_SERVICE_TAX_CODE,
                "tax_rate": "免税",
                "amount_fen": invoice.amount_fen,
            }
        ],
        "total_fen": invoice.amount_fen,
    }


def _issue(invoice: Invoice) -> bool:
    """Ask the provider; the outcome is written on the row whatever it is."""
    if invoice.status == InvoiceStatus.ISSUED:
        return True
    if invoice.kind == InvoiceKind.RED and not invoice.original.invoice_number:
        return False  # the blue one is not issued yet: the job comes back
    Invoice.objects.filter(pk=invoice.pk).update(attempts=invoice.attempts + 1)
    try:
        issued = provider.issue(request=_request_of(invoice))
    except provider.ProviderError as exc:
        Invoice.objects.filter(pk=invoice.pk).update(
            status=InvoiceStatus.FAILED, failure=str(exc)[:200], updated_at=timezone.now()
        )
        return False
    with transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(
            status=InvoiceStatus.ISSUED,
            invoice_number=issued.invoice_number,
            issued_at=datetime.fromisoformat(issued.issued_at),
            failure="",
            updated_at=timezone.now(),
        )
        if invoice.kind == InvoiceKind.RED:
            original = invoice.original
            reversed_fen = sum(
                r.amount_fen for r in original.red_letters.filter(status=InvoiceStatus.ISSUED)
            )
            if reversed_fen >= original.amount_fen:
                Invoice.objects.filter(pk=original.pk).update(status=InvoiceStatus.REVERSED)
        else:
            requester = invoice.requested_by
            amount = f"{invoice.amount_fen / 100:,.2f}"
            transaction.on_commit(
                lambda: messaging.notify(
                    recipient=requester,
                    kind="invoice_issued",
                    params={
                        "clinic": invoice.clinic.display_name,
                        "number": issued.invoice_number,
                        "amount": amount,
                    },
                    key=f"invoice_issued:{invoice.request_no}",
                    object_type="invoice",
                    object_id=invoice.public_id,
                )
            )
    return True


def invoices_retry() -> int:
    """Issue again what the provider did not issue (failed, or a red letter waiting for
    its blue one), a few times each."""
    count = 0
    for invoice in Invoice.objects.select_related("original").filter(
        status__in=(InvoiceStatus.REQUESTED, InvoiceStatus.FAILED), attempts__lt=MAX_ATTEMPTS
    ):
        count += bool(_issue(invoice))
    return count
