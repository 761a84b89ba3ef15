"""The patient app's claims: where each claim of the family stands."""

from django.shortcuts import render

from yachi.core.pages import patient_required
from yachi.insurance.claims.access import claims_of_payer


@patient_required
def claims_page(request):
    return render(
        request, "insurance/claims.html", {"cases": claims_of_payer(request.user), "tab": "me"}
    )
