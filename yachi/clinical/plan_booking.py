"""Booking an appointment straight from a procedure of an accepted treatment plan, in the
console and in the app (ADR 0063): the service and the plan's doctor are preset, the day
and time are chosen from the same free times the ordinary booking shows the actor, and
the chosen time is confirmed before anything is booked. The pages share this."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from yachi.booking import facade as booking
from yachi.clinical import services
from yachi.clinical.access import item_booking_access
from yachi.core.dates import day_param, moment_param
from yachi.core.errors import DomainError, InvalidInput


def booking_context(request, *, plan_id, item_id) -> dict:
    plan, item = item_booking_access(actor=request.user, plan_id=plan_id, item_id=item_id)
    context = {
        "plan": plan,
        "item": item,
        "patient": plan.patient,
        "refusal": "",
        "zone": plan.clinic.timezone,
    }
    try:
        service, doctor = services.plan_item_booking(plan=plan, item=item)
    except DomainError as refusal:
        return {**context, "refusal": refusal.message}
    zone = ZoneInfo(plan.clinic.timezone)
    days = booking.bookable_starts(actor=request.user, doctor=doctor, service=service)
    try:
        selected = day_param(request.GET.get("day"))
    except InvalidInput:
        selected = None
    if selected not in {day for day, _starts in days}:
        selected = next((day for day, starts in days if starts), days[0][0])
    starts = next(starts for day, starts in days if day == selected)
    chosen = None
    try:
        raw = request.GET.get("start")
        wanted = moment_param(raw, zone=zone) if raw else None
    except InvalidInput:
        wanted = None
    if wanted is not None and wanted in starts:
        chosen = wanted
    return {
        **context,
        "service": service,
        "doctor": doctor,
        "days": [(day, bool(day_starts)) for day, day_starts in days],
        "selected_day": selected,
        "starts": starts,
        "chosen": chosen,
    }


def book_from_request(request, *, plan_id, item_id, back: str, done):
    """The POST of a chosen time: book it, or say why not and go back to the times."""
    plan, item = item_booking_access(actor=request.user, plan_id=plan_id, item_id=item_id)
    zone = ZoneInfo(plan.clinic.timezone)
    try:
        appointment = services.plan_item_book(
            actor=request.user,
            plan=plan,
            item=item,
            start=moment_param(request.POST.get("start"), zone=zone),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    messages.success(
        request,
        _("Booked %(procedure)s on %(time)s.")
        % {
            "procedure": item.description,
            "time": appointment.start.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        },
    )
    return redirect(done(appointment))
