"""Instalment quotes and plans, the partner's callbacks, invoice buyers and invoices."""

from django.conf import settings
from ninja import Router, Status

from yachi.core.errors import patients_only
from yachi.core.schemas import errors
from yachi.financing import services
from yachi.financing.choices import InvoiceStatus, PlanStatus
from yachi.financing.invoicing import services as invoicing
from yachi.financing.models import Invoice
from yachi.financing.partners.client import PARTNER
from yachi.financing.products import PRODUCTS
from yachi.financing.schemas import (
    AgreeIn,
    BuyerIn,
    BuyerOut,
    CallbackOut,
    InvoiceIn,
    InvoiceOut,
    QuoteIn,
    QuoteOut,
)
from yachi.payments import facade as payments

router = Router(tags=["financing"])


def callback_url() -> str:
    return f"{settings.YACHI_PUBLIC_URL}/api/v1/financing/partners/{PARTNER}/notify"


def quote_body(plan) -> dict:
    instalments = list(plan.instalments.all())
    return {
        "id": plan.public_id,
        "treatment_plan_id": plan.treatment_plan.public_id,
        "product": plan.product,
        "product_name": str(PRODUCTS[plan.product].name),
        "status": plan.status,
        "status_label": str(PlanStatus(plan.status).label),
        "months": plan.months,
        "method": plan.method,
        "principal_fen": plan.principal_fen,
        "annual_rate": plan.annual_rate,
        "apr": plan.apr,
        "total_interest_fen": plan.total_interest_fen,
        "total_fen": plan.principal_fen + plan.total_interest_fen,
        "quote_expires_at": plan.quote_expires_at,
        "terms_words": plan.terms_words or str(services.TERMS_WORDS),
        "sharing_words": plan.sharing_words or str(services.SHARING_WORDS),
        "installments": instalments,
    }


@router.post(
    "/treatment-plans/{plan_id}/instalment-quotes",
    response={201: QuoteOut, **errors(400, 401, 404, 409, 413, 422)},
)
def quote_create(request, plan_id: str, payload: QuoteIn):
    """A quote to pay a treatment plan in instalments: the schedule with its due dates,
    the APR and the total cost, before the patient agrees. The instalments' principals
    add up to the plan's total exactly."""
    plan = services.quote_create(
        actor=request.auth, plan_id=plan_id, months=payload.months, method=payload.method
    )
    return Status(201, quote_body(plan))


@router.get("/instalment-plans/{instalment_plan_id}", response={200: QuoteOut, **errors(401, 404)})
def plan_detail(request, instalment_plan_id: str):
    """A quote or plan: the borrower's, or staff of its clinic's."""
    return quote_body(services.plan_access(actor=request.auth, plan_id=instalment_plan_id))


@router.post(
    "/instalment-plans/{instalment_plan_id}/agree",
    response={200: QuoteOut, **errors(400, 401, 403, 404, 409, 413, 422, 503)},
)
def plan_agree(request, instalment_plan_id: str, payload: AgreeIn):
    """The borrower agrees to the quote and, separately, to sharing data with the
    financing partner; the application goes to the partner, whose decision follows."""
    plan = services.plan_access(actor=request.auth, plan_id=instalment_plan_id)
    plan = services.plan_agree(
        actor=request.auth,
        plan=plan,
        agree_terms=payload.agree_terms,
        share_with_partner=payload.share_with_partner,
        callback_url=callback_url(),
    )
    return quote_body(plan)


@router.post(
    "/financing/partners/{partner}/notify",
    auth=None,
    response={200: CallbackOut, **errors(400, 401, 404, 413, 422)},
)
def partner_notify(request, partner: str):
    """The financing partner's signed callback: a credit decision or a disbursement."""
    return services.callback_receive(
        partner_name=partner, headers=request.headers, path=request.path, body=request.body
    )


@router.get("/me/invoice-buyer", response={200: BuyerOut | None, **errors(401, 403)})
def buyer_read(request):
    """Whom the caller's invoices are made out to (null until entered)."""
    patients_only(request.auth)
    buyer = invoicing.buyer_of(request.auth)
    return buyer and {"kind": buyer.kind, "name": buyer.name, "tax_number": buyer.tax_number}


@router.put("/me/invoice-buyer", response={200: BuyerOut, **errors(400, 401, 403, 413, 422)})
def buyer_save(request, payload: BuyerIn):
    """Enter the buyer once: a person's name, or a company's name and its unified social
    credit code (the check character is verified)."""
    patients_only(request.auth)
    buyer = invoicing.buyer_save(
        user=request.auth, kind=payload.kind, name=payload.name, tax_number=payload.tax_number
    )
    return {"kind": buyer.kind, "name": buyer.name, "tax_number": buyer.tax_number}


def invoice_body(invoice: Invoice, payment_id) -> dict:
    return {
        "id": invoice.public_id,
        "payment_id": payment_id,
        "kind": invoice.kind,
        "status": invoice.status,
        "status_label": str(InvoiceStatus(invoice.status).label),
        "amount_fen": invoice.amount_fen,
        "buyer": {
            "kind": invoice.buyer_kind,
            "name": invoice.buyer_name,
            "tax_number": invoice.buyer_tax_number,
        },
        "invoice_number": invoice.invoice_number,
        "issued_at": invoice.issued_at,
        "red_letters": [
            {
                "id": red.public_id,
                "status": red.status,
                "status_label": str(InvoiceStatus(red.status).label),
                "amount_fen": red.amount_fen,
                "invoice_number": red.invoice_number,
                "issued_at": red.issued_at,
            }
            for red in invoice.red_letters.order_by("created_at", "pk")
        ],
    }


@router.post(
    "/payments/{payment_id}/invoice",
    response={200: InvoiceOut, **errors(400, 401, 404, 409, 413, 422)},
)
def invoice_request(request, payment_id: str, payload: InvoiceIn):
    """Ask for the electronic invoice (数电票) of a paid payment, made out to the buyer
    given (kept for next time) or to the one kept; the answer has its status."""
    invoice = invoicing.invoice_request(
        actor=request.auth,
        payment_id=payment_id,
        kind=payload.kind,
        name=payload.name,
        tax_number=payload.tax_number,
    )
    return invoice_body(
        invoice, payments.paid_payment(actor=request.auth, payment_id=payment_id).id
    )


@router.get(
    "/payments/{payment_id}/invoice",
    response={200: InvoiceOut | None, **errors(401, 404)},
)
def invoice_read(request, payment_id: str):
    """The payment's invoice and its red-letter reversals (null when none was asked for)."""
    paid = payments.paid_payment(actor=request.auth, payment_id=payment_id)
    blue = next((i for i in invoicing.invoices_of_payment(paid.pk) if i.kind == "blue"), None)
    return blue and invoice_body(blue, paid.id)
