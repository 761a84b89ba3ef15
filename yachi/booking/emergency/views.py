"""Emergency pages: the patient asks for help and follows the case; doctors take it."""

from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.booking.emergency import selectors
from yachi.booking.emergency import services as emergency
from yachi.booking.emergency.access import access_case
from yachi.booking.emergency.selectors import present
from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.core.pages import htmx_partial, patient_required, staff_required
from yachi.patients import facade as patients


def _coordinates(source) -> tuple[float, float] | None:
    """Where the patient is: the phone's location, or the clinic area they chose."""
    try:
        return float(Decimal(source["latitude"])), float(Decimal(source["longitude"]))
    except (KeyError, InvalidOperation, ValueError):
        pass
    clinic = next(
        (c for c in clinics.active_clinics() if str(c.public_id) == source.get("near")),
        None,
    )
    return (float(clinic.latitude), float(clinic.longitude)) if clinic else None


@patient_required
def emergency_page(request):
    account = patients.account_of(request.user)
    everyone = patients.everyone_on(account)
    if request.method == "POST":
        where = _coordinates(request.POST)
        patient = next(
            (p for p in everyone if str(p.public_id) == request.POST.get("who")), everyone[0]
        )
        if where is None:
            messages.error(request, _("Share your location or choose the area you are in."))
        else:
            pain = request.POST.get("pain", "")
            try:
                case = emergency.emergency_request(
                    actor=request.user,
                    patient=patient,
                    pain_level=int(pain) if pain.isdigit() else 0,
                    symptoms=request.POST.get("symptoms", ""),
                    latitude=where[0],
                    longitude=where[1],
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                return redirect("web:emergency_case", case_id=case.public_id)
    return render(
        request,
        "booking/emergency/emergency.html",
        {"everyone": everyone, "clinics": clinics.active_clinics(), "tab": "home"},
    )


@patient_required
def emergency_case_page(request, case_id):
    case = present(access_case(actor=request.user, case_id=case_id))
    template = htmx_partial(
        request,
        "booking/emergency/partials/emergency_status.html",
        "booking/emergency/emergency_case.html",
    )
    return render(request, template, {"case": case, "tab": "home"})


@staff_required
def doctor_emergencies(request):
    dispatches = selectors.cases_for_doctor(actor=request.user)
    template = htmx_partial(
        request,
        "booking/console/partials/doctor_emergencies.html",
        "booking/console/doctor_emergencies.html",
    )
    return render(request, template, dict(dispatches=dispatches, section="emergencies"))


@staff_required
@require_POST
def doctor_accept(request, case_id):
    try:
        case = emergency.emergency_accept(actor=request.user, case_id=case_id)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("console:emergencies")
    messages.success(request, _("The emergency is yours. It is in your calendar."))
    clinic = case.accepted_clinic
    day = case.appointment.start.astimezone(ZoneInfo(clinic.timezone)).date()
    calendar = reverse("console:calendar", args=[clinic.public_id])
    return redirect(f"{calendar}?date={day.isoformat()}")
