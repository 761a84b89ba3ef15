"""The clinic's instalment plans in the console, for its front desk and managers."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.pages import staff_required
from yachi.financing.choices import PlanStatus
from yachi.financing.selectors import AGREED, clinic_instalments


@staff_required
def instalments_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    clinics.require(
        request.user,
        clinic,
        clinics.Duty.DESK,
        _("Instalment plans are followed by the front desk and managers."),
    )
    only = request.GET.get("status", "")[:16]
    choices = [("", _("All agreed plans")), ("overdue", _("With an instalment overdue"))]
    choices += [(status, PlanStatus(status).label) for status in AGREED]
    return render(
        request,
        "financing/console/instalments.html",
        {
            "clinic": clinic,
            "section": "instalments",
            "found": clinic_instalments(clinic=clinic, only=only),
            "choices": choices,
            "only": only,
        },
    )
