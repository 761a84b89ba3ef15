"""Every change to a queue: check-in, walk-ins, calling, treatment, moves (ADR 0043).

Each service is one transaction. It first locks the queue's row (two queues, by key, for
a transfer), so that of two staff pressing "call next" at once the second waits for the
first to commit and then reads the line without the ticket the first called: nothing is
called twice, nothing skipped. It then changes the ticket with an update conditional on
the status it read, writes the audit entry of a staff step (compliance), and appends the
event to the clinic's log (``log.append``: the sequence number is taken last, so the
clinic's counter row is held only for the end of the transaction). After the commit the
sockets of the queue, the clinic and the tickets concerned are woken.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.accounts import facade as accounts
from yachi.booking import facade as booking
from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput, PermissionDenied
from yachi.core.geo import distance_km
from yachi.messaging import facade as messaging
from yachi.patients import facade as patients
from yachi.queueing import groups, log, selectors
from yachi.queueing.choices import PREFIX, CheckInBy, EventType, TicketKind, TicketStatus
from yachi.queueing.errors import (
    AlreadyCheckedIn,
    NotAtClinic,
    NotCheckable,
    QueueEmpty,
    TicketStateChanged,
    TooEarly,
)
from yachi.queueing.models import Queue, Ticket, TicketCounter
from yachi.queueing.names import mask_name, mask_phone
from yachi.queueing.poster import local_day, poster_code_valid

MOVE_REASON_MAX = 200
CALLS_BEFORE_NO_SHOW = 3
# A skipped patient waits behind this many others before their next call.
SKIP_BEHIND = 2


# --- the queue and its numbers ------------------------------------------------------------


def queue_for(*, clinic, doctor, day) -> Queue:
    """The doctor's queue at the clinic that day, made on first use, locked."""
    queue, _created = Queue.objects.get_or_create(clinic=clinic, doctor=doctor, day=day)
    return Queue.objects.select_for_update().select_related("doctor", "clinic").get(pk=queue.pk)


def _lock(queue_pk: int) -> Queue:
    return Queue.objects.select_for_update().select_related("doctor", "clinic").get(pk=queue_pk)


def _number(*, clinic_id: int, day, kind: str) -> str:
    prefix = PREFIX[kind]
    counter, _created = TicketCounter.objects.get_or_create(
        clinic_id=clinic_id, day=day, prefix=prefix
    )
    TicketCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    last = TicketCounter.objects.filter(pk=counter.pk).values_list("last", flat=True).get()
    return f"{prefix}{last:03d}"


def _masked(patient) -> str:
    if patient.name:
        return mask_name(patient.name)
    return _("No. ending %(digits)s") % {"digits": mask_phone(patient.phone)}


# --- events -------------------------------------------------------------------------------


def ticket_json(ticket: Ticket, place: selectors.Place | None = None) -> dict:
    """A ticket as screens and the API see it (the masked name only)."""
    if place is not None:
        position, wait = place.position, place.wait_minutes
    elif ticket.status in (TicketStatus.CALLED, TicketStatus.IN_TREATMENT):
        position, wait = 0, 0
    else:
        position, wait = None, None
    return {
        "id": str(ticket.public_id),
        "number": ticket.number,
        "status": ticket.status,
        "position": position,
        "estimated_wait_minutes": wait,
        "patient": ticket.masked_name,
    }


def _record(
    type: str, ticket: Ticket, queue: Queue, *, now: datetime, extra=None, others=()
) -> dict:
    """Log one event of ``ticket`` in ``queue`` (and of the other queues it touched)."""
    places = selectors.line(queue, now=now)
    by_id = {p.ticket.pk: p for p in places}
    ticket.refresh_from_db()
    body = {
        "queue_id": str(queue.public_id),
        "doctor": queue.doctor.name,
        "ticket": ticket_json(ticket, by_id.get(ticket.pk)),
        "waiting": [
            {
                "id": str(p.ticket.public_id),
                "number": p.ticket.number,
                "position": p.position,
                "estimated_wait_minutes": p.wait_minutes,
            }
            for p in places
        ],
        **(extra or {}),
    }
    if ticket.room and type in (EventType.CALLED, EventType.RECALLED, EventType.STARTED):
        body["room"] = ticket.room
    event = log.append(
        clinic_id=queue.clinic_id, type=type, queue=queue, ticket=ticket, body=body, now=now
    )
    touched = [
        groups.queue_group(queue.public_id),
        groups.clinic_group(queue.clinic.public_id),
        groups.ticket_group(ticket.public_id),
        *(groups.ticket_group(p.ticket.public_id) for p in places),
        *(groups.queue_group(q.public_id) for q in others),
    ]
    transaction.on_commit(lambda: groups.ring(touched))
    _notify_near(queue, places, now=now, subject=ticket)
    return event


def _notify_near(queue: Queue, places, *, now: datetime, subject: Ticket) -> None:
    """Tell the patient who has just come within ``YACHI_QUEUE_NEAR_PLACES`` places of
    their turn (every step moves a line by one place at most, so it is the one at the
    edge, or the ticket the step was about); once per ticket, by the message's key."""
    near = settings.YACHI_QUEUE_NEAR_PLACES
    for place in places[: near + 1]:
        if place.position != near + 1 and place.ticket.pk != subject.pk:
            continue
        ticket = place.ticket
        messaging.notify(
            recipient=ticket.owner,
            kind="queue_near",
            params={
                "number": ticket.number,
                "clinic": queue.clinic.display_name,
                "doctor": queue.doctor.name,
                "ahead": str(place.position - 1),
                "minutes": str(place.wait_minutes),
                "link": f"/queue/tickets/{ticket.public_id}/",
            },
            key=f"queue-near:{ticket.public_id}",
            object_type="queue_ticket",
            object_id=ticket.public_id,
            happens_at=now,
            link_expires_at=now + timedelta(hours=12),
        )


def _notify_called(ticket: Ticket, queue: Queue, *, now: datetime) -> None:
    messaging.notify(
        recipient=ticket.owner,
        kind="queue_called",
        params={
            "number": ticket.number,
            "room": ticket.room,
            "clinic": queue.clinic.display_name,
            "doctor": queue.doctor.name,
            "link": f"/queue/tickets/{ticket.public_id}/",
        },
        key=f"queue-called:{ticket.public_id}:{ticket.call_count}",
        object_type="queue_ticket",
        object_id=ticket.public_id,
        happens_at=now,
        link_expires_at=now + timedelta(hours=12),
    )


def _audit(actor, ticket: Ticket, step: str, **details) -> None:
    audit_record(
        action=AuditAction.QUEUE_TICKET_CHANGED,
        actor=actor,
        object_type="queue_ticket",
        object_id=ticket.public_id,
        clinic=ticket.clinic,
        details={"step": step, "number": ticket.number, **details},
    )


def _require_staff(actor, clinic) -> None:
    """Calling and moving patients: anyone who works at the clinic (its front desk,
    managers and doctors; every role that sees a clinic's pages is one of them)."""
    clinics.require(
        actor, clinic, clinics.Duty.SEE, _("Only this clinic's staff may change its queues.")
    )


# --- check-in -----------------------------------------------------------------------------


def _at_clinic(clinic, *, latitude, longitude, clinic_code, now) -> str:
    if clinic_code:
        if poster_code_valid(clinic, clinic_code, now=now):
            return CheckInBy.PATIENT_POSTER
        raise NotAtClinic(
            _("This is not today's code of this clinic's poster."), code="not_at_clinic"
        )
    if latitude is None or longitude is None:
        raise InvalidInput(
            _("Send where you are, or the code on the clinic's poster."), code="invalid"
        )
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidInput(_("The location is not on the earth."), code="invalid_location")
    metres = 1000 * distance_km(
        latitude, longitude, float(clinic.latitude), float(clinic.longitude)
    )
    if metres > settings.YACHI_QUEUE_CHECK_IN_DISTANCE_METRES:
        raise NotAtClinic(
            _("You are about %(metres)s m from the clinic: check in when you are there.")
            % {"metres": round(metres)},
        )
    return CheckInBy.PATIENT_LOCATION


def _check_time(appointment, *, now) -> None:
    zone = ZoneInfo(appointment.clinic.timezone)
    if appointment.start.astimezone(zone).date() != now.astimezone(zone).date():
        if appointment.start > now:
            raise TooEarly(_("Check in on the day of your appointment."))
        raise NotCheckable(_("This appointment was on another day."))
    if appointment.channel == booking.AppointmentChannel.EMERGENCY:
        return  # an emergency is seen whenever the patient gets there
    opens = appointment.start - timedelta(minutes=settings.YACHI_QUEUE_CHECK_IN_EARLY_MINUTES)
    if now < opens:
        local = opens.astimezone(zone)
        raise TooEarly(
            _("Check-in opens at %(time)s, %(minutes)s minutes before the appointment.")
            % {
                "time": local.strftime("%H:%M"),
                "minutes": settings.YACHI_QUEUE_CHECK_IN_EARLY_MINUTES,
            }
        )


def check_in(
    *,
    actor,
    appointment,
    latitude: float | None = None,
    longitude: float | None = None,
    clinic_code: str = "",
    now: datetime | None = None,
) -> Ticket:
    """The patient's 我已到店, from their appointment: at the clinic (by distance or by
    the day's poster code), from ``YACHI_QUEUE_CHECK_IN_EARLY_MINUTES`` before."""
    now = now or timezone.now()
    if not actor.is_patient:
        raise PermissionDenied(code="patients_only")
    by = _at_clinic(
        appointment.clinic,
        latitude=latitude,
        longitude=longitude,
        clinic_code=clinic_code,
        now=now,
    )
    return _check_in(actor=actor, appointment=appointment, by=by, now=now)


def check_in_at_desk(*, actor, appointment, now: datetime | None = None) -> Ticket:
    """The front desk checks a patient in (no place or time check beyond the day)."""
    now = now or timezone.now()
    _require_staff(actor, appointment.clinic)
    return _check_in(actor=actor, appointment=appointment, by=CheckInBy.DESK, now=now)


def _check_in(*, actor, appointment, by: str, now: datetime) -> Ticket:
    Status = booking.AppointmentStatus
    if selectors.ticket_of_appointment(appointment.pk) is not None:
        raise AlreadyCheckedIn()
    if appointment.service.is_video:
        raise NotCheckable(
            _("A video consultation is not seen at the clinic: join it from the appointment."),
            code="video_consultation",
        )
    if appointment.status not in (Status.BOOKED, Status.ARRIVED):
        raise NotCheckable(
            _("An appointment that is %(status)s cannot be checked in.")
            % {"status": Status(appointment.status).label}
        )
    if by != CheckInBy.DESK:
        _check_time(appointment, now=now)
    elif local_day(appointment.clinic, appointment.start) != local_day(appointment.clinic, now):
        raise NotCheckable(_("Patients can only check in on the day of their appointment."))
    kind = (
        TicketKind.EMERGENCY
        if appointment.channel == booking.AppointmentChannel.EMERGENCY
        else TicketKind.APPOINTMENT
    )
    try:
        with transaction.atomic():
            ticket = _issue(
                clinic=appointment.clinic,
                doctor=appointment.doctor,
                kind=kind,
                patient=appointment.patient,
                owner=appointment.patient.account.owner,
                service=appointment.service,
                appointment=appointment,
                room=appointment.chair.name,
                by=by,
                now=now,
            )
            booking.appointment_queue_step(
                actor=actor, appointment=appointment, to_status=Status.ARRIVED, now=now
            )
            if actor.is_clinic_staff:
                _audit(actor, ticket, "check_in", appointment=str(appointment.public_id))
    except IntegrityError:
        # The same appointment checked in twice at the same moment: the database kept one.
        raise AlreadyCheckedIn() from None
    return ticket


def _issue(
    *, clinic, doctor, kind, patient, owner, service, by, now, appointment=None, room=""
) -> Ticket:
    day = local_day(clinic, now)
    queue = queue_for(clinic=clinic, doctor=doctor, day=day)
    late = bool(
        appointment is not None
        and kind == TicketKind.APPOINTMENT
        and now > appointment.start + timedelta(minutes=settings.YACHI_QUEUE_LATE_GRACE_MINUTES)
    )
    ticket = Ticket.objects.create(
        queue=queue,
        clinic=clinic,
        day=day,
        number=_number(clinic_id=clinic.pk, day=day, kind=kind),
        kind=kind,
        appointment=appointment,
        patient=patient,
        owner=owner,
        service=service,
        duration_minutes=service.duration_minutes,
        masked_name=_masked(patient),
        appointment_start=appointment.start if appointment is not None else None,
        late=late,
        checked_in_at=now,
        checked_in_by=by,
        room=room,
    )
    _record(EventType.CHECKED_IN, ticket, queue, now=now)
    return ticket


def walk_in(*, actor, clinic, phone: str, service, doctor=None, name: str = "", now=None) -> Ticket:
    """A walk-in at the desk, found (or registered) by mobile number, with a B ticket in
    the queue of the doctor asked for, or of the one with the shortest line who provides
    the service."""
    now = now or timezone.now()
    _require_staff(actor, clinic)
    if service.clinic_id != clinic.pk:
        raise InvalidInput(_("Choose a service of this clinic."), code="invalid_service")
    with transaction.atomic():
        if doctor is None:
            doctor = _least_busy_doctor(clinic, service, now=now)
        else:
            works_here, skilled = clinics.doctor_fit(doctor=doctor, service=service)
            if not works_here:
                raise InvalidInput(
                    _("This doctor does not work at this clinic."), code="invalid_doctor"
                )
            if not skilled:
                raise InvalidInput(
                    _("This doctor does not provide this service."), code="invalid_doctor"
                )
        user = accounts.patient_user_ensure(phone=phone, name=name)
        patient = patients.everyone_on(patients.account_open(user=user))[0]
        ticket = _issue(
            clinic=clinic,
            doctor=doctor,
            kind=TicketKind.WALK_IN,
            patient=patient,
            owner=user,
            service=service,
            by=CheckInBy.DESK,
            now=now,
        )
        _audit(actor, ticket, "walk_in", service=str(service.public_id))
    return ticket


def _least_busy_doctor(clinic, service, *, now):
    doctors = clinics.clinic_doctors(clinic=clinic, skill=service.required_skill)
    if not doctors:
        raise InvalidInput(_("No doctor of this clinic provides this service."), code="no_doctor")
    day = local_day(clinic, now)
    waiting = dict.fromkeys((d.pk for d in doctors), 0)
    for doctor_id in Ticket.objects.filter(
        clinic=clinic, day=day, status=TicketStatus.WAITING, queue__doctor_id__in=list(waiting)
    ).values_list("queue__doctor_id", flat=True):
        waiting[doctor_id] += 1
    return min(doctors, key=lambda d: (waiting[d.pk], d.name))


# --- calling ------------------------------------------------------------------------------


def _room(queue: Queue, ticket: Ticket, room: str) -> str:
    room = (room or "").strip()[:32]
    if room:
        return room
    if ticket.room:
        return ticket.room
    last = (
        Ticket.objects.filter(queue=queue)
        .exclude(room="")
        .order_by("-called_at")
        .values_list("room", flat=True)
        .first()
    )
    if last:
        return last
    chairs = clinics.active_chairs(clinic_id=queue.clinic_id)
    return chairs[0].name if chairs else ""


def call_next(*, actor, queue: Queue, room: str = "", now=None) -> Ticket:
    """Call the first of the line. Atomic: the queue stays locked until the call, its
    audit entry and its event commit together."""
    now = now or timezone.now()
    _require_staff(actor, queue.clinic)
    with transaction.atomic():
        queue = _lock(queue.pk)
        places = selectors.line(queue, now=now)
        if not places:
            raise QueueEmpty()
        ticket = places[0].ticket
        changed = Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.WAITING).update(
            status=TicketStatus.CALLED,
            called_at=now,
            call_count=F("call_count") + 1,
            room=_room(queue, ticket, room),
            moved_at=None,
            moved_before=None,
            updated_at=now,
        )
        if not changed:  # cannot happen under the lock; never call what was not waiting
            raise TicketStateChanged()
        if ticket.kind == TicketKind.WALK_IN:
            Queue.objects.filter(pk=queue.pk).update(served_since_walk_in=0)
        elif ticket.kind == TicketKind.APPOINTMENT:
            Queue.objects.filter(pk=queue.pk).update(
                served_since_walk_in=F("served_since_walk_in") + 1
            )
        queue.refresh_from_db()
        ticket.refresh_from_db()
        _audit(actor, ticket, "call", room=ticket.room, call=ticket.call_count)
        _record(EventType.CALLED, ticket, queue, now=now)
        _notify_called(ticket, queue, now=now)
    return ticket


def _locked_ticket(ticket: Ticket, *, statuses) -> tuple[Ticket, Queue]:
    queue = _lock(ticket.queue_id)
    ticket = Ticket.objects.select_related("owner").get(pk=ticket.pk)
    if ticket.queue_id != queue.pk:  # transferred meanwhile
        raise TicketStateChanged()
    if ticket.status not in statuses:
        raise TicketStateChanged(
            _("Ticket %(number)s is %(status)s now.")
            % {"number": ticket.number, "status": TicketStatus(ticket.status).label}
        )
    return ticket, queue


def recall(*, actor, ticket: Ticket, now=None) -> Ticket:
    """Call a called patient again (the board and their phone say it once more)."""
    now = now or timezone.now()
    _require_staff(actor, ticket.clinic)
    with transaction.atomic():
        ticket, queue = _locked_ticket(ticket, statuses=(TicketStatus.CALLED,))
        if ticket.call_count >= CALLS_BEFORE_NO_SHOW:
            raise TicketStateChanged(
                _("Ticket %(number)s has been called %(count)s times: skip it.")
                % {"number": ticket.number, "count": ticket.call_count},
                code="called_three_times",
            )
        Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.CALLED).update(
            call_count=F("call_count") + 1, called_at=now, updated_at=now
        )
        ticket.refresh_from_db()
        _audit(actor, ticket, "recall", call=ticket.call_count)
        _record(EventType.RECALLED, ticket, queue, now=now)
        _notify_called(ticket, queue, now=now)
    return ticket


def skip(*, actor, ticket: Ticket, now=None) -> Ticket:
    """A called patient who did not come: back in the line behind the next two, or a
    no-show (the appointment too) once called three times."""
    now = now or timezone.now()
    _require_staff(actor, ticket.clinic)
    with transaction.atomic():
        ticket, queue = _locked_ticket(ticket, statuses=(TicketStatus.CALLED,))
        if ticket.call_count >= CALLS_BEFORE_NO_SHOW:
            Ticket.objects.filter(pk=ticket.pk).update(
                status=TicketStatus.NO_SHOW, no_show_at=now, updated_at=now
            )
            if ticket.appointment_id is not None:
                appointment = booking.appointment_by_public_id(
                    public_id=_appointment_public_id(ticket)
                )
                booking.appointment_queue_step(
                    actor=actor,
                    appointment=appointment,
                    to_status=booking.AppointmentStatus.NO_SHOW,
                    now=now,
                )
            _audit(actor, ticket, "no_show", call=ticket.call_count)
            _record(EventType.NO_SHOW, ticket, queue, now=now)
            return ticket
        places = selectors.line(queue, now=now)
        anchor = places[SKIP_BEHIND].ticket if len(places) > SKIP_BEHIND else None
        Ticket.objects.filter(pk=ticket.pk).update(
            status=TicketStatus.WAITING, moved_at=now, moved_before=anchor, updated_at=now
        )
        _audit(actor, ticket, "skip", call=ticket.call_count)
        _record(EventType.SKIPPED, ticket, queue, now=now)
    return ticket


def _appointment_public_id(ticket: Ticket):
    return (
        Ticket.objects.filter(pk=ticket.pk).values_list("appointment__public_id", flat=True).get()
    )


def _appointment_of(ticket: Ticket):
    if ticket.appointment_id is None:
        return None
    return booking.appointment_by_public_id(public_id=_appointment_public_id(ticket))


def start(*, actor, ticket: Ticket, now=None) -> Ticket:
    """The called patient sits down: treatment starts (the appointment too)."""
    now = now or timezone.now()
    return _treatment_step(
        actor,
        ticket,
        now,
        was=TicketStatus.CALLED,
        becomes={"status": TicketStatus.IN_TREATMENT, "started_at": now},
        appointment_becomes=booking.AppointmentStatus.IN_TREATMENT,
        verb="start",
        event=EventType.STARTED,
    )


def finish(*, actor, ticket: Ticket, now=None) -> Ticket:
    """The visit is over: the ticket leaves the queue, the appointment is completed."""
    now = now or timezone.now()
    return _treatment_step(
        actor,
        ticket,
        now,
        was=TicketStatus.IN_TREATMENT,
        becomes={"status": TicketStatus.FINISHED, "finished_at": now},
        appointment_becomes=booking.AppointmentStatus.COMPLETED,
        verb="finish",
        event=EventType.FINISHED,
    )


def _treatment_step(actor, ticket, now, *, was, becomes, appointment_becomes, verb, event):
    _require_staff(actor, ticket.clinic)
    with transaction.atomic():
        ticket, queue = _locked_ticket(ticket, statuses=(was,))
        Ticket.objects.filter(pk=ticket.pk).update(**becomes, updated_at=now)
        appointment = _appointment_of(ticket)
        if appointment is not None:
            booking.appointment_queue_step(
                actor=actor, appointment=appointment, to_status=appointment_becomes, now=now
            )
        _audit(actor, ticket, verb)
        _record(event, ticket, queue, now=now)
    return ticket


def move(*, actor, ticket: Ticket, before: Ticket | None, reason: str, now=None) -> Ticket:
    """Staff put a waiting ticket just before another (or last), with a reason."""
    now = now or timezone.now()
    _require_staff(actor, ticket.clinic)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why the ticket is moved."), code="reason_required")
    if len(reason) > MOVE_REASON_MAX:
        raise InvalidInput(
            _("Keep the reason under %(count)s characters.") % {"count": MOVE_REASON_MAX},
            code="reason_too_long",
        )
    with transaction.atomic():
        ticket, queue = _locked_ticket(ticket, statuses=(TicketStatus.WAITING,))
        if before is not None:
            before = Ticket.objects.filter(
                pk=before.pk, queue=queue, status=TicketStatus.WAITING
            ).first()
            if before is None or before.pk == ticket.pk:
                raise InvalidInput(
                    _("Put it before another ticket waiting in this queue."), code="invalid_before"
                )
        Ticket.objects.filter(pk=ticket.pk).update(
            moved_at=now, moved_before=before, updated_at=now
        )
        _audit(
            actor,
            ticket,
            "move",
            before=before.number if before else None,
            reason=reason,
        )
        _record(EventType.MOVED, ticket, queue, now=now, extra={"reason": reason})
    return ticket


def transfer(*, actor, ticket: Ticket, doctor, now=None) -> Ticket:
    """Send a waiting (or called) ticket to another doctor's queue at the clinic today.
    It keeps its number and kind and takes its fair place there."""
    now = now or timezone.now()
    _require_staff(actor, ticket.clinic)
    if not clinics.doctor_works_at(doctor=doctor, clinic=ticket.clinic):
        raise InvalidInput(_("This doctor does not work at this clinic."), code="invalid_doctor")
    with transaction.atomic():
        target = queue_for(clinic=ticket.clinic, doctor=doctor, day=ticket.day)
        source_pk = ticket.queue_id
        if target.pk == source_pk:
            raise InvalidInput(
                _("The ticket is already in this doctor's queue."), code="same_queue"
            )
        # Both queues locked, in key order, so two transfers cannot wait for each other.
        first, second = sorted((source_pk, target.pk))
        _lock(first)
        _lock(second)
        ticket, source = _locked_ticket(
            ticket, statuses=(TicketStatus.WAITING, TicketStatus.CALLED)
        )
        Ticket.objects.filter(pk=ticket.pk).update(
            queue=target,
            status=TicketStatus.WAITING,
            call_count=0,
            called_at=None,
            moved_at=None,
            moved_before=None,
            updated_at=now,
        )
        # A ticket moved before the one transferred now waits where its fair place is.
        Ticket.objects.filter(moved_before=ticket).update(moved_before=None, moved_at=None)
        target = _lock(target.pk)
        _audit(actor, ticket, "transfer", doctor=str(doctor.public_id))
        _record(
            EventType.TRANSFERRED,
            ticket,
            target,
            now=now,
            extra={"from_queue_id": str(source.public_id)},
            others=(source,),
        )
    return ticket
