"""The patient's booking pages: clinic → service → doctor → 7-day grid → time → confirm."""

import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.booking import deposits, lookups, selectors, services
from yachi.booking.access import access_appointment_by_id
from yachi.booking.calendar import by_day_part
from yachi.booking.choices import Channel, Status
from yachi.booking.errors import SlotUnavailable
from yachi.booking.policy import patient_may_change, patient_may_reschedule
from yachi.booking.vouchers import services as voucher_services
from yachi.booking.vouchers.access import access_voucher_by_id
from yachi.booking.vouchers.selectors import vouchers_of_appointments
from yachi.clinics import facade as clinics
from yachi.core.dates import day_param, moment_param
from yachi.core.errors import DomainError, InvalidInput, NotFound
from yachi.core.pages import htmx_partial, patient_required
from yachi.patients import facade as patients


def _start(raw: str | None) -> datetime:
    """The start of a slot the patient picked from a list; anything else cannot be booked."""
    try:
        return moment_param(raw)
    except InvalidInput:
        raise SlotUnavailable() from None


def _chosen_people(request, account) -> list:
    """The people picked on the page (holder by default), in the order of the account."""
    wanted = set(request.GET.getlist("who") or request.POST.getlist("who"))
    everyone = patients.everyone_on(account)
    chosen = [p for p in everyone if str(p.public_id) in wanted]
    return chosen or everyone[:1]


def _voucher_of(request, service=None):
    """The voucher the booking is made with (``?voucher=``), one of the caller's own and
    for this service; None when the booking is an ordinary one."""
    raw = request.GET.get("voucher") or request.POST.get("voucher")
    if not raw:
        return None
    voucher = access_voucher_by_id(actor=request.user, voucher_id=raw)
    if service is not None and voucher.service_id != service.pk:
        raise NotFound()
    return voucher


def _with_voucher(query: dict, voucher) -> dict:
    return {**query, "voucher": voucher.public_id} if voucher is not None else query


@patient_required
def clinics_page(request):
    return render(
        request,
        "booking/clinics.html",
        {"clinics": clinics.active_clinics(), "tab": "book"},
    )


@patient_required
def services_page(request, clinic_id):
    clinic = clinics.clinic_by_id(clinic_id)
    return render(
        request,
        "booking/services.html",
        {
            "clinic": clinic,
            "services": clinics.clinic_services(clinic=clinic),
            "tab": "book",
        },
    )


@patient_required
def doctors_page(request, service_id):
    service = clinics.service_by_id(service_id)
    voucher = _voucher_of(request, service)
    rows = selectors.service_availability(service=service)
    if voucher is not None:
        rows = [(doctor, _before(days, voucher.valid_until)) for doctor, days in rows]
    earliest = selectors.earliest_slot(rows=rows)
    # Whom the booking is for, carried on from "再约" of a family member's visit.
    who = request.GET.getlist("who")[:6]
    earliest_link = None
    if earliest is not None:
        earliest_link = (
            reverse("web:book_confirm")
            + "?"
            + urlencode(
                _with_voucher(
                    {
                        "service": service.public_id,
                        "doctor": earliest.doctor.public_id,
                        "start": earliest.start.isoformat(),
                        "who": who,
                    },
                    voucher,
                ),
                doseq=True,
            )
        )
    return render(
        request,
        "booking/doctors.html",
        {
            "service": service,
            "clinic": service.clinic,
            "rows": rows,
            "earliest": earliest,
            "earliest_link": earliest_link,
            "who_query": urlencode(_with_voucher({"who": who}, voucher), doseq=True),
            "voucher": voucher,
            "tab": "book",
        },
    )


def _before(days, until):
    """The days' slots that start before ``until`` (a voucher's expiry)."""
    return [replace(d, slots=[s for s in d.slots if s[0] < until]) for d in days]


def _grid_context(request, *, days, service, link, until=None):
    if until is not None:
        days = _before(days, until)
    selected = day_param(request.GET.get("day"))
    if selected not in {d.day for d in days}:
        selected = next((d.day for d in days if d.slots), days[0].day)
    chosen = next(d for d in days if d.day == selected)
    return {
        "days": days,
        "selected_day": selected,
        "slot_groups": by_day_part(
            [(start, link(start)) for start, _end in chosen.slots],
            moment=lambda pair: pair[0],
            zone=ZoneInfo(service.clinic.timezone),
        ),
        "zone": service.clinic.timezone,
    }


@patient_required
def slots_page(request, service_id, doctor_id):
    account = patients.account_of(request.user)
    people = _chosen_people(request, account)
    if request.GET.get("voucher") or request.POST.get("voucher"):
        people = people[:1]  # a voucher is one visit of one person
    # The API's read: the service and doctor as this process remembers them while
    # their versions hold, and the days' keys in the same round trip.
    read = lookups.availability_read(
        service_id=service_id, doctor_id=doctor_id, party_size=len(people)
    )
    if not read.works_here:
        raise NotFound()
    service, doctor = read.service, read.doctor
    voucher = _voucher_of(request, service)
    who = [str(p.public_id) for p in people]

    def link(start):
        query = urlencode(
            _with_voucher(
                {
                    "service": service.public_id,
                    "doctor": doctor.public_id,
                    "start": start.isoformat(),
                    "who": who,
                },
                voucher,
            ),
            doseq=True,
        )
        return f"{reverse('web:book_confirm')}?{query}"

    context = _grid_context(
        request,
        days=read.days(),
        service=service,
        link=link,
        until=voucher.valid_until if voucher is not None else None,
    )
    context.update(
        service=service,
        doctor=doctor,
        clinic=service.clinic,
        waitlist_link=reverse("web:waitlist_join")
        + "?"
        + urlencode({"service": service.public_id, "doctor": doctor.public_id}),
        everyone=patients.everyone_on(account),
        who=who,
        voucher=voucher,
        voucher_query=f"&voucher={voucher.public_id}" if voucher is not None else "",
        tab="book",
    )
    if voucher is not None:
        context["waitlist_link"] = None  # the waitlist books ordinary, unpaid visits
    template = htmx_partial(request, "booking/partials/grid.html", "booking/slots.html")
    return render(request, template, context)


@patient_required
def confirm_page(request):
    source = request.POST if request.method == "POST" else request.GET
    try:
        service = clinics.service_by_id(source.get("service"))
        doctor = clinics.doctor_by_id(source.get("doctor"))
        start = _start(source.get("start"))
        voucher = _voucher_of(request, service)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("web:book_clinics")
    account = patients.account_of(request.user)
    people = _chosen_people(request, account)
    if voucher is not None:
        people = people[:1]
    back = reverse("web:book_slots", args=[service.public_id, doctor.public_id])
    back += "?" + urlencode(
        {
            "day": start.astimezone(ZoneInfo(service.clinic.timezone)).date().isoformat(),
            "who": [str(p.public_id) for p in people],
            **({"voucher": voucher.public_id} if voucher is not None else {}),
        },
        doseq=True,
    )
    if request.method == "POST" and voucher is not None:
        return _book_with_voucher(
            request, voucher=voucher, doctor=doctor, start=start, patient=people[0], back=back
        )
    if request.method == "POST":
        try:
            booked = services.appointments_book(
                actor=request.user,
                doctor=doctor,
                service=service,
                start=start,
                patients=people,
                channel=Channel.PATIENT_APP,
                note=request.POST.get("note", "").strip()[:500],
                idempotency_key=request.POST.get("idempotency_key") or None,
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(back)
        first = booked.appointments[0]
        if first.status == Status.PENDING:
            messages.success(
                request,
                _(
                    "The time is held for you. Pay the deposit within %(minutes)s minutes to confirm it."
                )
                % {"minutes": settings.YACHI_PAYMENT_WINDOW_MINUTES},
            )
        else:
            messages.success(request, _("Booked! We look forward to seeing you."))
        # The result names everyone booked together, not only the first person.
        result = reverse("web:appointment", args=[first.public_id])
        others = [str(a.public_id) for a in booked.appointments[1:]]
        if others:
            result += "?" + urlencode({"with": others}, doseq=True)
        return redirect(result)
    duration = service.duration_minutes
    schedule = [
        (
            person,
            start + timedelta(minutes=duration * i),
            start + timedelta(minutes=duration * (i + 1)),
        )
        for i, person in enumerate(people)
    ]
    return render(
        request,
        "booking/confirm.html",
        {
            "service": service,
            "doctor": doctor,
            "clinic": service.clinic,
            "start": start,
            "schedule": schedule,
            "people": people,
            "total_fen": service.price_fen * len(people),
            # Shown before the patient confirms: what is paid now and when it comes back.
            "deposit_fen": 0
            if voucher is not None
            else sum(
                deposits.deposit_amount(
                    actor=request.user,
                    service=service,
                    patient=person,
                    start=person_start,
                    channel=Channel.PATIENT_APP,
                    now=timezone.now(),
                )
                for person, person_start, _end in schedule
            ),
            "voucher": voucher,
            "payment_minutes": settings.YACHI_PAYMENT_WINDOW_MINUTES,
            "idempotency_key": uuid.uuid4().hex,
            "back": back,
            "tab": "book",
        },
    )


def _book_with_voucher(request, *, voucher, doctor, start, patient, back):
    try:
        appointment = voucher_services.voucher_book(
            actor=request.user,
            voucher=voucher,
            doctor=doctor,
            start=start,
            patient=patient,
            note=request.POST.get("note", "").strip()[:500],
            channel=Channel.PATIENT_APP,
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        if exc.code == "voucher_not_usable":
            return redirect("web:voucher", voucher_id=voucher.public_id)
        return redirect(back)
    messages.success(request, _("Booked with your voucher! We look forward to seeing you."))
    return redirect("web:appointment", appointment_id=appointment.public_id)


@patient_required
def appointments_page(request):
    scope = "past" if request.GET.get("scope") == "past" else "upcoming"
    account = patients.account_of(request.user)
    appointments = selectors.appointments_of_account(account_id=account.pk, scope=scope, limit=100)
    return render(
        request,
        "booking/appointments.html",
        {"appointments": appointments, "scope": scope, "tab": "appointments"},
    )


def _booked_with(request, appointment) -> list:
    """The other appointments of a family booking named in ``?with=``: the caller's own only."""
    together = []
    for other_id in request.GET.getlist("with")[:6]:
        try:
            other = access_appointment_by_id(actor=request.user, appointment_id=other_id)
        except DomainError:
            continue
        if other.pk != appointment.pk:
            together.append(other)
    return sorted(together, key=lambda a: a.start)


@patient_required
def appointment_page(request, appointment_id):
    appointment = access_appointment_by_id(actor=request.user, appointment_id=appointment_id)
    return render(
        request,
        "booking/appointment.html",
        {
            "appointment": appointment,
            "together": _booked_with(request, appointment),
            "may_change": patient_may_change(appointment),
            "may_reschedule": patient_may_reschedule(appointment),
            "deposit": deposits.deposit_of(appointment)
            if deposits.deposit_asked_fen(appointment)
            else None,
            "voucher": vouchers_of_appointments([appointment.pk]).get(appointment.pk),
            "video_opens_minutes": settings.YACHI_VIDEO_OPENS_MINUTES,
            "tab": "appointments",
        },
    )


@patient_required
@require_POST
def cancel_view(request, appointment_id):
    appointment = access_appointment_by_id(actor=request.user, appointment_id=appointment_id)
    try:
        services.appointment_cancel(
            actor=request.user, appointment=appointment, reason=request.POST.get("reason", "")[:200]
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The appointment is cancelled."))
    return redirect("web:appointment", appointment_id=appointment.public_id)


def _reschedule_doctor(source, appointment, doctors):
    """The doctor picked on the page: one of the clinic's with the service's skill."""
    wanted = source.get("doctor")
    return next((d for d in doctors if str(d.public_id) == wanted), appointment.doctor)


@patient_required
def reschedule_page(request, appointment_id):
    appointment = access_appointment_by_id(actor=request.user, appointment_id=appointment_id)
    doctors = clinics.clinic_doctors(
        clinic=appointment.clinic, skill=appointment.service.required_skill
    )
    source = request.POST if request.method == "POST" else request.GET
    doctor = _reschedule_doctor(source, appointment, doctors)
    if request.method == "POST":
        try:
            services.appointment_reschedule(
                actor=request.user,
                appointment=appointment,
                start=_start(request.POST.get("start")),
                doctor=doctor,
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("web:reschedule", appointment_id=appointment.public_id)
        messages.success(request, _("The appointment has been moved."))
        return redirect("web:appointment", appointment_id=appointment.public_id)

    def link(start):
        return "?" + urlencode(
            {
                "start": start.isoformat(),
                "day": request.GET.get("day", ""),
                "doctor": doctor.public_id,
            }
        )

    days = selectors.doctor_availability(doctor=doctor, service=appointment.service)
    context = _grid_context(request, days=days, service=appointment.service, link=link)
    chosen = request.GET.get("start")
    context.update(
        appointment=appointment,
        doctor=doctor,
        doctors=doctors,
        chosen_start=_start(chosen) if chosen else None,
        tab="appointments",
    )
    template = htmx_partial(request, "booking/partials/grid.html", "booking/reschedule.html")
    return render(request, template, context)
