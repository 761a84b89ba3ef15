"""The desk's claim pages: open a claim for a paid bill, its documents, send, follow."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.pages import staff_required
from yachi.insurance.claims import services
from yachi.insurance.claims.access import access_claim_by_id
from yachi.insurance.claims.choices import DocumentKind, Insurer
from yachi.insurance.claims.models import ClaimCase
from yachi.insurance.medical.access import access_bill_for_insurance


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("Enter the date of the accident, up to today.")) from None


@staff_required
def claim_new_page(request, payment_id):
    intent = access_bill_for_insurance(actor=request.user, payment_id=payment_id)
    form = {
        k: request.POST.get(k, "").strip()
        for k in ("insurer", "policy_number", "accident_date", "description")
    }
    if request.method == "POST":
        try:
            case = services.claim_open(
                actor=request.user,
                payment=intent,
                insurer=form["insurer"],
                policy_number=form["policy_number"],
                accident_date=_date(form["accident_date"]),
                description=form["description"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Claim opened. Check its documents, then send it."))
            return redirect("console:claim", claim_id=case.public_id)
    return render(
        request,
        "insurance/console/claim_new.html",
        dict(
            clinic=intent.clinic,
            intent=intent,
            form=form,
            insurers=Insurer.choices,
            today=timezone.localdate().isoformat(),
            section="claims",
        ),
    )


@staff_required
def claim_page(request, claim_id):
    case = access_claim_by_id(actor=request.user, claim_id=claim_id)
    return render(
        request,
        "insurance/console/claim.html",
        dict(
            clinic=case.clinic,
            case=case,
            events=list(case.events.all()),
            sent=list(case.documents.all()),
            kinds=DocumentKind.choices,
            section="claims",
        ),
    )


@staff_required
def claim_document(request, claim_id, kind):
    case = access_claim_by_id(actor=request.user, claim_id=claim_id)
    if kind not in DocumentKind.values:
        raise Http404
    made = services.documents_of(actor=request.user, case=case, kinds={kind})
    if not made:
        raise Http404
    response = HttpResponse(made[0].data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{made[0].filename}"'
    return response


@staff_required
@require_POST
def claim_action(request, claim_id, step):
    case = access_claim_by_id(actor=request.user, claim_id=claim_id)
    try:
        if step == "submit":
            services.claim_submit(actor=request.user, case=case)
            messages.success(request, _("Sent to the insurer."))
        elif step == "refresh":
            changed = services.claim_refresh(case=case)
            messages.success(
                request, _("The insurer has news.") if changed else _("No change at the insurer.")
            )
        else:
            messages.error(request, _("Choose to send the claim or to ask the insurer."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("console:claim", claim_id=case.public_id)


@staff_required
def claims_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    clinics.require(
        request.user,
        clinic,
        clinics.Duty.DESK,
        _("Claims are handled by the front desk and managers."),
    )
    cases = list(ClaimCase.objects.filter(clinic=clinic).select_related("patient")[:100])
    return render(
        request, "insurance/console/claims.html", dict(clinic=clinic, cases=cases, section="claims")
    )
