"""School holidays in the console: managers keep the dates when the schools around
their clinic are out, which the paediatric demand forecast follows."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.dates import day_param
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.pages import staff_required
from yachi.rostering.calendar import selectors, services
from yachi.rostering.changes import require_manager


@staff_required
def school_holidays_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    require_manager(request.user, clinic)
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("action") == "remove":
                services.school_holiday_remove(
                    actor=request.user, clinic=clinic, holiday_id=post.get("id", "")
                )
                messages.success(request, _("The school holiday is removed."))
            else:
                first, last = day_param(post.get("first_day")), day_param(post.get("last_day"))
                if first is None or last is None:
                    raise InvalidInput(_("Choose the first and the last day."))
                services.school_holiday_add(
                    actor=request.user,
                    clinic=clinic,
                    name=post.get("name", ""),
                    first_day=first,
                    last_day=last,
                )
                messages.success(request, _("The school holiday is saved."))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect(request.path)
    return render(
        request,
        "rostering/console/school_holidays.html",
        {
            "clinic": clinic,
            "section": "roster",
            "holidays": selectors.school_holidays(clinic_id=clinic.pk),
        },
    )
