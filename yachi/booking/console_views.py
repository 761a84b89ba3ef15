"""The clinic console's booking pages: calendar, booking at the desk, lifecycle buttons."""

from datetime import date, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.booking import risk, selectors, services
from yachi.booking.access import access_appointment_by_id
from yachi.booking.calendar import day_layout
from yachi.booking.choices import TRANSITIONS, Status
from yachi.booking.history.console_views import BILLABLE, may_bill
from yachi.booking.vouchers.selectors import vouchers_of_appointments
from yachi.clinics import facade as clinics
from yachi.core.dates import day_param, moment_param
from yachi.core.errors import DomainError
from yachi.core.pages import htmx_partial, staff_required
from yachi.core.security import csp_extend
from yachi.messaging import facade as messaging
from yachi.payments import facade as payments


def _clinic(request, clinic_id):
    return clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)


def _day(raw, zone) -> date:
    return day_param(raw, default=timezone.now().astimezone(zone).date())


@staff_required
def console_home(request):
    """The calendar of the clinic chosen in the sidebar's switch, or of the first one."""
    if chosen := request.GET.get("clinic"):
        return redirect("console:calendar", clinic_id=_clinic(request, chosen).public_id)
    clinics_list = clinics.staff_clinics(request.user)
    if not clinics_list:
        return render(request, "booking/console/no_clinic.html")
    return redirect("console:calendar", clinic_id=clinics_list[0].public_id)


# Blocks sit in the day grid by their row, column and length: numbers known only when
# the page is drawn, so they go in style="" attributes. Style attributes (never <style>
# elements, never script) are allowed here, and only here.
@csp_extend({"style-src-attr": ["'unsafe-inline'"]})
@staff_required
def calendar_page(request, clinic_id):
    clinic = _clinic(request, clinic_id)
    zone = ZoneInfo(clinic.timezone)
    day = _day(request.GET.get("date"), zone)
    view = "week" if request.GET.get("view") == "week" else "day"
    by = "chair" if request.GET.get("by") == "chair" else "doctor"
    show_cancelled = request.GET.get("cancelled") == "1"
    doctors = clinics.clinic_doctors(clinic=clinic)
    chairs = clinics.clinic_chairs(clinic=clinic)
    columns = chairs if by == "chair" else doctors
    context = dict(
        clinic=clinic,
        day=day,
        view=view,
        by=by,
        columns=columns,
        show_cancelled=show_cancelled,
        today=timezone.now().astimezone(zone).date(),
        section="calendar",
    )
    if view == "day":
        appointments = selectors.appointments_of_clinic_day(clinic=clinic, day=day)
        if not show_cancelled:
            appointments = [a for a in appointments if a.status != Status.CANCELLED]
        # Each scored appointment's no-show risk (CRM's, registered with booking): one query.
        risk.risks_attach(appointments)
        working, plans = {}, {}
        if by == "doctor" and doctors:
            plans = selectors.day_plans(
                clinic=clinic,
                doctor_ids=[d.pk for d in doctors],
                days=[day],
                chair_ids=[c.pk for c in chairs],  # the clinic's active chairs, by name
                for_patients=False,
            )
            working = {d.pk: plans[(d.pk, day)].working for d in doctors}
            # Only the doctors who work or have appointments that day get a column.
            busy = {a.doctor_id for a in appointments}
            columns = [d for d in doctors if working[d.pk] or d.pk in busy]
            context["columns"] = columns
        context["layout"] = day_layout(
            day=day,
            zone=zone,
            columns=columns,
            key=(lambda a: a.chair_id) if by == "chair" else (lambda a: a.doctor_id),
            appointments=appointments,
            working_by_column=working,
        )
        # Each doctor's level of the day, as the saturation grid shows it.
        levels = {}
        if by == "doctor":
            shown = {c.pk for c in columns}
            levels = selectors.saturation_of_plans(
                clinic=clinic, plans={k: plan for k, plan in plans.items() if k[0] in shown}
            )
        context["heads"] = [(column, levels.get((column.pk, day))) for column in columns]
        context["prev"], context["next"] = day - timedelta(days=1), day + timedelta(days=1)
        context["counts"] = {
            "total": len([a for a in appointments if a.status != Status.CANCELLED]),
            "arrived": len([a for a in appointments if a.arrived_at]),
            "no_show": len([a for a in appointments if a.status == Status.NO_SHOW]),
        }
    else:
        monday = day - timedelta(days=day.weekday())
        week = [monday + timedelta(days=i) for i in range(7)]
        appointments = selectors.appointments_of_clinic_range(
            clinic=clinic, first_day=week[0], last_day=week[-1]
        )
        cells = {}
        for appointment in appointments:
            column = appointment.chair_id if by == "chair" else appointment.doctor_id
            local_day = appointment.start.astimezone(zone).date()
            cells.setdefault((column, local_day), []).append(appointment)
        levels = {}
        if by == "doctor":
            levels = selectors.doctor_day_saturation(
                clinic=clinic,
                doctor_ids=[c.pk for c in columns],
                days=week,
                chair_ids=[c.pk for c in chairs],
            )
        context["week"] = week
        context["rows"] = [
            (
                column,
                [(d, cells.get((column.pk, d), []), levels.get((column.pk, d))) for d in week],
            )
            for column in columns
        ]
        context["prev"], context["next"] = day - timedelta(days=7), day + timedelta(days=7)
    template = htmx_partial(
        request, "booking/console/partials/calendar_body.html", "booking/console/calendar.html"
    )
    return render(request, template, context)


@staff_required
def grid_page(request, clinic_id):
    clinic = _clinic(request, clinic_id)
    doctors = clinics.clinic_doctors(clinic=clinic)
    grid = selectors.clinic_saturation_grid(clinic=clinic, doctors=doctors)
    rows = [(doctor, grid[doctor.pk]) for doctor in doctors]
    days = [cell.day for cell in rows[0][1]] if rows else []
    return render(
        request,
        "booking/console/grid.html",
        dict(clinic=clinic, rows=rows, days=days, section="grid"),
    )


@staff_required
def appointment_panel(request, appointment_id):
    appointment = access_appointment_by_id(actor=request.user, appointment_id=appointment_id)
    return render(
        request,
        "booking/console/partials/appointment_panel.html",
        {
            "appointment": appointment,
            "next": request.GET.get("next", ""),
            "can": _possible_steps(appointment),
            "risk": risk.no_show_risks([appointment]).get(appointment.pk),
            "bills": payments.bills_of_appointments([appointment.pk]).get(appointment.pk, []),
            "voucher": vouchers_of_appointments([appointment.pk]).get(appointment.pk),
            "billable": appointment.status in BILLABLE and may_bill(request.user, appointment),
            # A video consultation: its doctor joins from here; the clinic sees who joined when.
            "video_log": messaging.video_room_log(appointment_id=appointment.public_id)
            if appointment.service.is_video
            else None,
            "is_its_doctor": appointment.doctor.user_id == request.user.pk,
        },
    )


def _possible_steps(appointment) -> set[str]:
    return {str(s) for s in TRANSITIONS[appointment.status]}


def _back(request, appointment) -> str:
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}):
        return candidate
    zone = ZoneInfo(appointment.clinic.timezone)
    return (
        reverse("console:calendar", args=[appointment.clinic.public_id])
        + "?"
        + urlencode({"date": appointment.start.astimezone(zone).date().isoformat()})
    )


@staff_required
@require_POST
def appointment_step(request, appointment_id):
    appointment = access_appointment_by_id(actor=request.user, appointment_id=appointment_id)
    step = request.POST.get("step", "")
    try:
        if step == Status.CANCELLED:
            services.appointment_cancel(
                actor=request.user,
                appointment=appointment,
                reason=request.POST.get("reason", "")[:200],
            )
        else:
            services.appointment_advance(
                actor=request.user, appointment=appointment, to_status=step
            )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("%(patient)s: %(status)s")
            % {"patient": appointment.patient, "status": Status(step).label},
        )
    return redirect(_back(request, appointment))


@staff_required
def book_page(request, clinic_id):
    """Book at the desk for a caller or a walk-in, by mobile number."""
    clinic = _clinic(request, clinic_id)
    zone = ZoneInfo(clinic.timezone)
    source = request.POST if request.method == "POST" else request.GET
    services_list = clinics.clinic_services(clinic=clinic)
    service = next((s for s in services_list if str(s.public_id) == source.get("service")), None)
    doctors = clinics.clinic_doctors(
        clinic=clinic, skill=service.required_skill if service else None
    )
    doctor = next((d for d in doctors if str(d.public_id) == source.get("doctor")), None)
    day = _day(source.get("date"), zone)
    phone = source.get("phone", "").strip()
    walk_in = source.get("walk_in") == "1"
    context = dict(
        clinic=clinic,
        services=services_list,
        service=service,
        doctors=doctors,
        doctor=doctor,
        day=day,
        phone=phone,
        name=source.get("name", "").strip(),
        walk_in=walk_in,
        section="book",
    )
    if phone:
        context["people"] = selectors.people_of_phone(phone)
    if request.method == "POST":
        try:
            if service is None or doctor is None:
                raise DomainError(_("Choose a service and a doctor."), code="invalid")
            appointment = services.appointment_book_at_desk(
                actor=request.user,
                doctor=doctor,
                service=service,
                start=moment_param(source.get("start"), zone=zone),
                phone=source.get("phone", ""),
                name=source.get("name", ""),
                patient_id=source.get("patient"),
                note=source.get("note", ""),
                walk_in=walk_in,
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("Booked %(patient)s at %(time)s.")
                % {
                    "patient": appointment.patient,
                    "time": appointment.start.astimezone(zone).strftime("%H:%M"),
                },
            )
            return redirect(_back(request, appointment))
    if service and doctor:
        context["slots"] = selectors.doctor_day_slots(doctor=doctor, service=service, day=day)
    template = htmx_partial(
        request,
        "booking/console/partials/book_slots.html",
        "booking/console/book.html",
        target="slots",
    )
    return render(request, template, context, status=422 if request.method == "POST" else 200)
