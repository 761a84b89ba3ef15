"""The patient's queue pages: check in (我已到店) from today's appointments or from the
clinic's poster, and follow the ticket live."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.booking import facade as booking
from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.core.pages import htmx_partial, patient_required
from yachi.patients import facade as patients
from yachi.queueing import access, selectors, services
from yachi.queueing.poster import local_day


def _today_appointments(user, *, clinic=None):
    """The family's appointments of today that may still be checked in, each with its
    ticket when it has one."""
    account = patients.account_of(user)
    now = timezone.now()
    Status = booking.AppointmentStatus
    today = [
        a
        for a in booking.appointments_of_account(account_id=account.pk, scope="upcoming")
        + booking.appointments_of_account(account_id=account.pk, scope="past", limit=10)
        if local_day(a.clinic, a.start) == local_day(a.clinic, now)
        and a.status in (Status.BOOKED, Status.ARRIVED)
        and (clinic is None or a.clinic_id == clinic.pk)
    ]
    tickets = selectors.tickets_of_appointments(a.pk for a in today)
    unique = {a.pk: a for a in today}
    return [(a, tickets.get(a.pk)) for a in sorted(unique.values(), key=lambda a: a.start)]


@patient_required
def my_queue_page(request):
    now = timezone.now()
    tickets = [
        (ticket, *selectors.ticket_place(ticket, now=now))
        for ticket in selectors.tickets_of_owner(owner=request.user, day=timezone.localdate(now))
    ]
    return render(
        request,
        "queueing/my_queue.html",
        {
            "tickets": tickets,
            "appointments": [(a, t) for a, t in _today_appointments(request.user) if t is None],
            "tab": "appointments",
        },
    )


@patient_required
def poster_check_in_page(request, clinic_id):
    """Where the poster's QR code leads: today's appointments at this clinic, checked in
    with the poster's code."""
    clinic = clinics.clinic_by_id(clinic_id)
    return render(
        request,
        "queueing/poster_check_in.html",
        {
            "clinic": clinic,
            "code": request.GET.get("code", "")[:12],
            "appointments": _today_appointments(request.user, clinic=clinic),
            "tab": "appointments",
        },
    )


def _coordinate(raw):
    try:
        return float(Decimal(raw))
    except (InvalidOperation, TypeError, ValueError):
        return None


@patient_required
@require_POST
def check_in_action(request, appointment_id):
    appointment = booking.access_appointment_by_id(
        actor=request.user, appointment_id=appointment_id
    )
    try:
        ticket = services.check_in(
            actor=request.user,
            appointment=appointment,
            latitude=_coordinate(request.POST.get("latitude")),
            longitude=_coordinate(request.POST.get("longitude")),
            clinic_code=request.POST.get("clinic_code", "").strip()[:12],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        back = request.POST.get("back", "")
        return redirect(back if back.startswith("/queue/") else "web:queue")
    messages.success(
        request, _("Checked in: your number is %(number)s.") % {"number": ticket.number}
    )
    return redirect("web:queue_ticket", ticket_id=ticket.public_id)


@patient_required
def ticket_page(request, ticket_id):
    ticket = access.access_own_ticket_by_id(actor=request.user, ticket_id=ticket_id)
    position, wait = selectors.ticket_place(ticket)
    template = htmx_partial(
        request, "queueing/partials/ticket_status.html", "queueing/ticket.html", target="ticket"
    )
    return render(
        request,
        template,
        {
            "ticket": ticket,
            "position": position,
            "wait": wait,
            "ahead": position - 1 if position else 0,
            "tab": "appointments",
        },
    )
