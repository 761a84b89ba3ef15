"""The doctor's tooth chart and treatment plans in the clinic console."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinical import plan_booking, services
from yachi.clinical.access import (
    chart_access,
    chart_write_access,
    entry_of_chart,
    item_of_plan,
    plan_write_access,
)
from yachi.clinical.choices import Finding, ItemResult, Surface
from yachi.clinical.drawing import HEIGHT, WIDTH, chart_shapes
from yachi.clinical.odontogram.teeth import is_tooth
from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.pages import staff_required


def _may_write(actor, patient_id) -> bool:
    try:
        chart_write_access(actor=actor, patient_id=patient_id)
    except DomainError:
        return False
    return True


def _seen_on(text: str):
    if not text:
        return None
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput(_("Enter the date as YYYY-MM-DD."), code="invalid_date")
    return day


@staff_required
def chart_page(request, patient_id):
    access = chart_access(actor=request.user, patient_id=patient_id)
    may_write = _may_write(request.user, patient_id)
    if request.method == "POST":
        try:
            patient, clinic_ids = chart_write_access(actor=request.user, patient_id=patient_id)
            services.finding_record(
                actor=request.user,
                patient=patient,
                clinic_ids=clinic_ids,
                tooth=request.POST.get("tooth", ""),
                kind=request.POST.get("kind", ""),
                surfaces="".join(request.POST.getlist("surfaces")),
                seen_on=_seen_on(request.POST.get("seen_on", "")),
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The finding is recorded."))
        tooth = request.POST.get("tooth", "")
        query = f"?tooth={tooth}" if is_tooth(tooth) else ""
        return redirect(f"{request.path}{query}")
    chart = services.chart_read(actor=request.user, access=access)
    wanted = request.GET.get("tooth", "")
    surface = request.GET.get("surface", "")
    return render(
        request,
        "clinical/console/chart.html",
        {
            "patient": access.patient,
            "chart": chart,
            "shapes": chart_shapes(chart),
            "width": WIDTH,
            "height": HEIGHT,
            "heat": request.GET.get("view") == "risk",
            "editable": True,
            "selected": wanted,
            "tooth": chart.tooth(wanted) if is_tooth(wanted) else None,
            "surface": surface if surface in Surface.values else "",
            "may_write": may_write,
            "surface_choices": Surface.choices,
            "finding_choices": Finding.choices,
            "today": timezone.localdate(),
            "section": "patients",
        },
    )


@staff_required
@require_POST
def withdraw_action(request, patient_id, finding_id):
    patient, clinic_ids = chart_write_access(actor=request.user, patient_id=patient_id)
    entry = entry_of_chart(patient=patient, entry_id=finding_id)
    try:
        services.finding_withdraw(
            actor=request.user,
            patient=patient,
            clinic_ids=clinic_ids,
            entry=entry,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The finding is withdrawn; it stays in the history."))
    return redirect(f"/console/patients/{patient.public_id}/tooth-chart/?tooth={entry.tooth}")


@staff_required
def plans_page(request, patient_id):
    access = chart_access(actor=request.user, patient_id=patient_id)
    may_write = _may_write(request.user, patient_id)
    if request.method == "POST":
        try:
            patient, clinic_ids = chart_write_access(actor=request.user, patient_id=patient_id)
            services.plan_create(
                actor=request.user,
                patient=patient,
                clinic_ids=clinic_ids,
                title=request.POST.get("title", ""),
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The plan is started: add its procedures."))
        return redirect(request.path)
    plans = services.plans_read(actor=request.user, access=access)
    services_by_clinic = {
        plan.clinic_id: clinics.clinic_billable_services(clinic=plan.clinic) for plan in plans
    }
    return render(
        request,
        "clinical/console/plans.html",
        {
            "patient": access.patient,
            "plans": [(plan, services_by_clinic[plan.clinic_id]) for plan in plans],
            "may_write": may_write,
            "result_choices": ItemResult.choices,
            "section": "patients",
        },
    )


def _int(text, default=None):
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


@staff_required
@require_POST
def plan_action(request, plan_id, step):
    plan = plan_write_access(actor=request.user, plan_id=plan_id)
    try:
        if step == "item":
            services.plan_item_add(
                actor=request.user,
                plan=plan,
                phase=_int(request.POST.get("phase"), 0),
                phase_title=request.POST.get("phase_title", ""),
                service_code=request.POST.get("service", ""),
                tooth=request.POST.get("tooth", ""),
                surfaces=request.POST.get("surfaces", ""),
                quantity=_int(request.POST.get("quantity"), 0),
                result=request.POST.get("result", ""),
            )
        elif step == "propose":
            services.plan_propose(actor=request.user, plan=plan)
        elif step == "cancel":
            services.plan_cancel(actor=request.user, plan=plan)
        elif step in ("schedule", "complete"):
            item = item_of_plan(plan=plan, item_id=request.POST.get("item", ""))
            if step == "schedule":
                services.plan_item_schedule(
                    actor=request.user,
                    item=item,
                    appointment_id=request.POST.get("appointment", ""),
                )
            else:
                services.plan_item_complete(actor=request.user, item=item)
        else:
            raise InvalidInput(_("Unknown action."), code="unknown_action")
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The plan is saved."))
    return redirect(f"/console/patients/{plan.patient.public_id}/treatment-plans/")


@staff_required
def book_item_page(request, plan_id, item_id):
    """Book a procedure of an accepted plan for the patient, from the plans page."""
    if request.method == "POST":
        context = plan_booking.booking_context(request, plan_id=plan_id, item_id=item_id)
        plans = f"/console/patients/{context['patient'].public_id}/treatment-plans/"
        return plan_booking.book_from_request(
            request,
            plan_id=plan_id,
            item_id=item_id,
            back=request.get_full_path(),
            done=lambda _appointment: plans,
        )
    context = plan_booking.booking_context(request, plan_id=plan_id, item_id=item_id)
    return render(request, "clinical/console/book_item.html", {**context, "section": "patients"})
