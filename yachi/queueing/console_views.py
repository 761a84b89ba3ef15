"""The queue in the clinic console: the front desk's board of every doctor's queue (with
check-in and walk-ins), a doctor's own queue with big buttons, the day's summary, the
check-in poster and the page that explains the order."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.booking import facade as booking
from yachi.clinics import facade as clinics
from yachi.core.dates import day_param
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.pages import htmx_partial, staff_required
from yachi.queueing import access, selectors, services
from yachi.queueing.poster import local_day, poster_code, poster_url


def _clinic(request, clinic_id):
    return clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)


def _may_call(user, clinic) -> bool:
    return clinics.may(user, clinic, clinics.Duty.SEE)


def _board_context(request, clinic):
    now = timezone.now()
    day = local_day(clinic, now)
    views = selectors.clinic_queues(clinic=clinic, day=day, now=now)
    patients = selectors.patients_of_views(views)
    appointments = booking.appointments_of_clinic_day(clinic=clinic, day=day)
    tickets = selectors.tickets_of_appointments(a.pk for a in appointments)
    to_check_in = [
        a
        for a in appointments
        if a.pk not in tickets
        and a.status in (booking.AppointmentStatus.BOOKED, booking.AppointmentStatus.ARRIVED)
    ]
    doctor = clinics.doctor_of_user(request.user)
    return {
        "clinic": clinic,
        "day": day,
        "views": views,
        "names": patients,
        "to_check_in": to_check_in,
        "services": clinics.clinic_services(clinic=clinic),
        "doctors": clinics.clinic_doctors(clinic=clinic),
        "my_queue": next(
            (v.queue for v in views if doctor and v.queue.doctor_id == doctor.pk), None
        ),
        "may_call": _may_call(request.user, clinic),
        "section": "queues",
    }


@staff_required
def board_page(request, clinic_id):
    clinic = _clinic(request, clinic_id)
    template = htmx_partial(
        request,
        "queueing/console/partials/board_body.html",
        "queueing/console/board.html",
        target="board",
    )
    return render(request, template, _board_context(request, clinic))


@staff_required
@require_POST
def desk_check_in(request, clinic_id, appointment_id):
    clinic = _clinic(request, clinic_id)
    appointment = booking.access_appointment_by_id(
        actor=request.user, appointment_id=appointment_id
    )
    if appointment.clinic_id != clinic.pk:
        raise InvalidInput(_("This appointment is at another clinic."))
    try:
        ticket = services.check_in_at_desk(actor=request.user, appointment=appointment)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("%(patient)s checked in: number %(number)s.")
            % {"patient": appointment.patient.display_name, "number": ticket.number},
        )
    return redirect("console:queue_board", clinic_id=clinic.public_id)


@staff_required
@require_POST
def walk_in_action(request, clinic_id):
    clinic = _clinic(request, clinic_id)
    post = request.POST
    service = next(
        (
            s
            for s in clinics.clinic_services(clinic=clinic)
            if str(s.public_id) == post.get("service")
        ),
        None,
    )
    doctor = next(
        (
            d
            for d in clinics.clinic_doctors(clinic=clinic)
            if str(d.public_id) == post.get("doctor")
        ),
        None,
    )
    try:
        if service is None:
            raise InvalidInput(_("Choose a service."))
        ticket = services.walk_in(
            actor=request.user,
            clinic=clinic,
            phone=post.get("phone", ""),
            name=post.get("name", ""),
            service=service,
            doctor=doctor,
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Walk-in number %(number)s, with %(doctor)s.")
            % {"number": ticket.number, "doctor": ticket.queue.doctor.name},
        )
    return redirect("console:queue_board", clinic_id=clinic.public_id)


def _queue(request, clinic, queue_id):
    queue = access.access_queue_by_id(actor=request.user, queue_id=queue_id)
    if queue.clinic_id != clinic.pk:
        raise access._queue_missing()
    return queue


def _doctor_context(request, clinic, queue):
    now = timezone.now()
    [view] = [
        v
        for v in selectors.clinic_queues(clinic=clinic, day=queue.day, now=now)
        if v.queue.pk == queue.pk
    ]
    return {
        "clinic": clinic,
        "queue": queue,
        "view": view,
        "names": selectors.patients_of_views([view]),
        "current": (view.in_treatment or view.called or [None])[0],
        "doctors": [d for d in clinics.clinic_doctors(clinic=clinic) if d.pk != queue.doctor_id],
        "may_call": _may_call(request.user, clinic),
        "section": "queues",
    }


@staff_required
def doctor_queue_page(request, clinic_id, queue_id):
    clinic = _clinic(request, clinic_id)
    queue = _queue(request, clinic, queue_id)
    template = htmx_partial(
        request,
        "queueing/console/partials/doctor_body.html",
        "queueing/console/doctor.html",
        target="doctor-queue",
    )
    return render(request, template, _doctor_context(request, clinic, queue))


def _after_step(request, clinic, queue):
    if request.htmx:
        return render(
            request,
            "queueing/console/partials/doctor_body.html",
            _doctor_context(request, clinic, queue),
        )
    return redirect("console:queue_doctor", clinic_id=clinic.public_id, queue_id=queue.public_id)


@staff_required
@require_POST
def call_next_action(request, clinic_id, queue_id):
    clinic = _clinic(request, clinic_id)
    queue = _queue(request, clinic, queue_id)
    try:
        ticket = services.call_next(
            actor=request.user, queue=queue, room=request.POST.get("room", "")
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Called %(number)s to %(room)s.") % {"number": ticket.number, "room": ticket.room},
        )
    return _after_step(request, clinic, queue)


STEPS = {
    "recall": services.recall,
    "skip": services.skip,
    "start": services.start,
    "finish": services.finish,
}


@staff_required
@require_POST
def ticket_step_action(request, clinic_id, ticket_id, step):
    clinic = _clinic(request, clinic_id)
    ticket = access.access_staff_ticket_by_id(actor=request.user, ticket_id=ticket_id)
    if ticket.clinic_id != clinic.pk:
        raise access._ticket_missing()
    queue = ticket.queue
    try:
        if step in STEPS:
            STEPS[step](actor=request.user, ticket=ticket)
        elif step == "move":
            raw = request.POST.get("before", "")
            before = (
                access.access_staff_ticket_by_id(actor=request.user, ticket_id=raw) if raw else None
            )
            services.move(
                actor=request.user,
                ticket=ticket,
                before=before,
                reason=request.POST.get("reason", ""),
            )
        elif step == "transfer":
            doctor = next(
                (
                    d
                    for d in clinics.clinic_doctors(clinic=clinic)
                    if str(d.public_id) == request.POST.get("doctor")
                ),
                None,
            )
            if doctor is None:
                raise InvalidInput(_("Choose a doctor of this clinic."))
            services.transfer(actor=request.user, ticket=ticket, doctor=doctor)
        else:
            raise InvalidInput(_("Unknown step."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return _after_step(request, clinic, queue)


@staff_required
def summary_page(request, clinic_id):
    clinic = _clinic(request, clinic_id)
    day = day_param(request.GET.get("date"), default=local_day(clinic))
    return render(
        request,
        "queueing/console/summary.html",
        {
            "clinic": clinic,
            "day": day,
            "rows": selectors.day_summary(clinic=clinic, day=day),
            "section": "queues",
        },
    )


@staff_required
def poster_page(request, clinic_id):
    """Today's check-in poster, to print: a QR code of the check-in link with the day's
    code, and the code in digits."""
    import segno

    clinic = _clinic(request, clinic_id)
    day = local_day(clinic)
    url = poster_url(clinic, day)
    qr = segno.make(url, error="m")
    return render(
        request,
        "queueing/console/poster.html",
        {
            "clinic": clinic,
            "day": day,
            "code": poster_code(clinic, day),
            "qr_svg": qr.svg_inline(
                scale=8, dark="#0b3d35", light="#ffffff", title=_("Check-in QR code")
            ),
            "url": url,
            "section": "queues",
        },
    )


@staff_required
def help_page(request):
    return render(
        request,
        "queueing/console/help.html",
        {
            "section": "queues",
            "grace": settings.YACHI_QUEUE_LATE_GRACE_MINUTES,
            "ratio": settings.YACHI_QUEUE_WALK_IN_RATIO,
            "early": settings.YACHI_QUEUE_CHECK_IN_EARLY_MINUTES,
            "metres": settings.YACHI_QUEUE_CHECK_IN_DISTANCE_METRES,
        },
    )
