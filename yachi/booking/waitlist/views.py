"""The patient's waitlist pages: join, see offers, accept or decline."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.booking.choices import WaitlistStatus
from yachi.booking.waitlist import services as waitlist
from yachi.booking.waitlist.access import (
    access_waitlist_entry_by_id,
    access_waitlist_offer_by_id,
    waitlist_entries_of,
)
from yachi.clinics import facade as clinics
from yachi.core.dates import day_param
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.pages import patient_required
from yachi.patients import facade as patients


@patient_required
def waitlist_page(request):
    entries = (
        waitlist_entries_of(request.user)
        .exclude(status=WaitlistStatus.WITHDRAWN)
        .order_by("-created_at")
    )
    return render(
        request, "booking/waitlist/waitlist.html", {"entries": entries, "tab": "appointments"}
    )


@patient_required
def waitlist_join_page(request):
    source = request.POST if request.method == "POST" else request.GET
    service = clinics.service_by_id(source.get("service"))
    doctor = clinics.doctor_by_id(source["doctor"]) if source.get("doctor") else None
    account = patients.account_of(request.user)
    everyone = patients.everyone_on(account)
    zone = ZoneInfo(service.clinic.timezone)
    today = timezone.now().astimezone(zone).date()
    if request.method == "POST":
        try:
            first, last = day_param(source.get("first")), day_param(source.get("last"))
            if first is None or last is None:
                raise InvalidInput(_("Choose the first and last day."))
            patient = next(
                (p for p in everyone if str(p.public_id) == source.get("who")), everyone[0]
            )
            waitlist.waitlist_join(
                actor=request.user,
                patient=patient,
                service=service,
                doctor=doctor,
                earliest=datetime.combine(first, time(7), tzinfo=zone),
                latest=datetime.combine(last, time(22), tzinfo=zone),
                is_emergency=source.get("pain") == "on",
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("You are on the waitlist. We will message you when a time frees up.")
            )
            return redirect("web:waitlist")
    return render(
        request,
        "booking/waitlist/waitlist_join.html",
        {"service": service, "doctor": doctor, "everyone": everyone, "today": today, "tab": "book"},
    )


@patient_required
@require_POST
def offer_answer(request, offer_id):
    offer = access_waitlist_offer_by_id(actor=request.user, offer_id=offer_id)
    try:
        if request.POST.get("answer") == "accept":
            appointment = waitlist.offer_accept(offer=offer)
            messages.success(request, _("Booked! We look forward to seeing you."))
            return redirect("web:appointment", appointment_id=appointment.public_id)
        waitlist.offer_decline(offer=offer)
        messages.success(request, _("Thank you, the time goes to the next person."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("web:waitlist")


@patient_required
@require_POST
def waitlist_leave(request, entry_id):
    waitlist.waitlist_withdraw(
        entry=access_waitlist_entry_by_id(actor=request.user, entry_id=entry_id)
    )
    messages.success(request, _("You have left the waitlist."))
    return redirect("web:waitlist")
