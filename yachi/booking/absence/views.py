"""The console page for a doctor's sudden absence."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.booking.absence.services import doctor_absence_cancel
from yachi.clinics import facade as clinics
from yachi.core.dates import day_param
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.pages import staff_required


@staff_required
def absence_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    clinics.require(
        request.user,
        clinic,
        clinics.Duty.DESK,
        _("The front desk or a manager cancels a doctor's day."),
    )
    doctors = clinics.clinic_doctors(clinic=clinic)
    today = timezone.localdate()
    form = {"doctor": "", "day": today.isoformat(), "reason": ""}
    if request.method == "POST":
        form = {key: request.POST.get(key, "").strip() for key in form}
        try:
            doctor = next((d for d in doctors if str(d.public_id) == form["doctor"]), None)
            if doctor is None:
                raise InvalidInput(_("Choose a doctor of this clinic."))
            day = day_param(form["day"])
            if day is None:
                raise InvalidInput(_("Choose a day."))
            if day < today:
                raise InvalidInput(_("That day has passed."))
            count = doctor_absence_cancel(
                actor=request.user, doctor=doctor, clinic=clinic, day=day, reason=form["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "%(count)s appointments cancelled. Patients have been told; paid "
                    "deposits are refunded with a compensation coupon."
                )
                % {"count": count},
            )
            return redirect("console:absence", clinic_id=clinic.public_id)
    return render(
        request,
        "booking/console/absence.html",
        dict(clinic=clinic, doctors=doctors, form=form, section="absence"),
    )
