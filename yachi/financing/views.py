"""The patient app: a treatment plan's instalment quote and agreement, the plan's
schedule, and a payment's invoice."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinical import facade as clinical
from yachi.core.errors import DomainError
from yachi.core.pages import patient_required, staff_required
from yachi.financing import api, services
from yachi.financing.invoicing import services as invoicing
from yachi.financing.products import minimum_fen, product_for
from yachi.payments import facade as payments


@patient_required
def quote_page(request, plan_id):
    summary = clinical.plan_summary(actor=request.user, plan_id=plan_id)
    product = product_for(summary.service_codes)
    if request.method == "POST":
        try:
            months = int(request.POST.get("months", ""))
        except ValueError:
            months = 0
        try:
            plan = services.quote_create(
                actor=request.user,
                plan_id=plan_id,
                months=months,
                method=request.POST.get("method", ""),
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            return redirect("web:financing_plan", plan_id=plan.public_id)
    return render(
        request,
        "financing/quote.html",
        {
            "summary": summary,
            "product": product,
            "eligible": summary.total_fen >= minimum_fen(),
            "minimum_fen": minimum_fen(),
        },
    )


@patient_required
def plan_page(request, plan_id):
    plan = services.plan_access(actor=request.user, plan_id=plan_id)
    quote = api.quote_body(plan)
    return render(
        request,
        "financing/plan.html",
        {"plan": plan, "quote": quote, "apr_percent": f"{quote['apr'] * 100:.2f}%"},
    )


@patient_required
@require_POST
def agree_action(request, plan_id):
    plan = services.plan_access(actor=request.user, plan_id=plan_id)
    try:
        services.plan_agree(
            actor=request.user,
            plan=plan,
            agree_terms=request.POST.get("agree_terms") == "1",
            share_with_partner=request.POST.get("share_with_partner") == "1",
            callback_url=api.callback_url(),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Thank you: the application is with the financing partner."))
    return redirect("web:financing_plan", plan_id=plan.public_id)


@patient_required
def invoice_page(request, payment_id):
    paid = payments.paid_payment(actor=request.user, payment_id=payment_id)
    if request.method == "POST":
        try:
            invoicing.invoice_request(
                actor=request.user,
                payment_id=payment_id,
                kind=request.POST.get("kind", ""),
                name=request.POST.get("name", ""),
                tax_number=request.POST.get("tax_number", ""),
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            return redirect("web:financing_invoice", payment_id=paid.id)
    invoices = invoicing.invoices_of_payment(paid.pk)
    return render(
        request,
        "financing/invoice.html",
        {
            "paid": paid,
            "invoice": next((i for i in invoices if i.kind == "blue"), None),
            "reds": [i for i in invoices if i.kind == "red"],
            "buyer": invoicing.buyer_of(request.user),
        },
    )


def _pdf(request, payment_id, *, inline: bool):
    name, content = payments.receipt_pdf(actor=request.user, payment_id=payment_id)
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@patient_required
def receipt_pdf_page(request, payment_id):
    """The payer downloads the itemised receipt as a PDF."""
    return _pdf(request, payment_id, inline=False)


@staff_required
def console_receipt_pdf(request, payment_id):
    """The desk prints the receipt (opened in the browser's PDF viewer); audited. The
    till is the front desk's and the managers', as the receipt's page is."""
    from yachi.clinics import facade as clinics

    paid = payments.paid_payment(actor=request.user, payment_id=payment_id)
    clinics.require(
        request.user,
        paid.clinic_id,
        clinics.Duty.DESK,
        _("Payments are handled by the front desk and managers."),
    )
    return _pdf(request, payment_id, inline=True)
