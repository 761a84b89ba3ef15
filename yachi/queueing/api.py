"""The queue's part of the JSON API (ADR 0043)."""

from ninja import Query, Router, Schema, Status

from yachi.booking import facade as booking
from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.schemas import errors
from yachi.queueing import access, log, selectors, services
from yachi.queueing.choices import TicketStatus
from yachi.queueing.events import for_ticket, touches_ticket
from yachi.queueing.schemas import (
    CallIn,
    CheckInIn,
    EventsOut,
    MoveIn,
    QueueOut,
    TicketOut,
    TransferIn,
    WalkInIn,
)

router = Router(tags=["queues"])

WRITE_ERRORS = errors(400, 401, 403, 404, 409, 413, 422)
STEP_ERRORS = errors(400, 401, 403, 404, 409, 422)


def ticket_out(ticket, place=None) -> dict:
    if place is None:
        position, wait = selectors.ticket_place(ticket)
    else:
        position, wait = place.position, place.wait_minutes
    return {
        "id": ticket.public_id,
        "number": ticket.number,
        "queue_id": ticket.queue.public_id,
        "status": ticket.status,
        "position": position,
        "estimated_wait_minutes": wait,
        "kind": ticket.kind,
        "room": ticket.room,
        "doctor": ticket.queue.doctor.name,
        "clinic": ticket.clinic.display_name,
    }


def _fresh(ticket):
    """The ticket as it is after the step, with its queue and doctor."""
    return selectors.ticket_by_pk(ticket.pk)


@router.post("/appointments/{appointment_id}/check-in", response={201: TicketOut, **WRITE_ERRORS})
def check_in(request, appointment_id: str, payload: CheckInIn):
    """我已到店: the patient, at the clinic (by location or the poster's code), from an
    hour before the appointment. Staff check a patient in from the console."""
    appointment = booking.access_appointment_by_id(
        actor=request.user, appointment_id=appointment_id
    )
    if request.user.is_patient:
        ticket = services.check_in(
            actor=request.user,
            appointment=appointment,
            latitude=payload.latitude,
            longitude=payload.longitude,
            clinic_code=payload.clinic_code or "",
        )
    else:
        ticket = services.check_in_at_desk(actor=request.user, appointment=appointment)
    return Status(201, ticket_out(_fresh(ticket)))


@router.get("/queue-tickets/{ticket_id}", response={200: TicketOut, **errors(401, 404)})
def get_ticket(request, ticket_id: str):
    """The patient's own ticket: number, position, estimated wait."""
    return ticket_out(access.access_own_ticket_by_id(actor=request.user, ticket_id=ticket_id))


class AfterQuery(Schema):
    after: int = 0


@router.get("/queue-tickets/{ticket_id}/events", response={200: EventsOut, **errors(401, 404, 422)})
def ticket_events(request, ticket_id: str, query: Query[AfterQuery]):
    """The ticket's events after ``after`` (what the ticket's socket sends, for a client
    without one)."""
    ticket = access.access_own_ticket_by_id(actor=request.user, ticket_id=ticket_id)
    key = str(ticket.public_id)
    found = log.events_matching(ticket.clinic_id, query.after, lambda e: touches_ticket(e, key))
    return {
        "events": [for_ticket(key, event) for event in found],
        "last_seq": log.last_seq(ticket.clinic_id),
    }


def _queue_out(queue) -> dict:
    tickets = selectors.open_tickets_of_queues([queue])[queue.pk]
    places = selectors.line(queue, tickets=tickets)
    for ticket in tickets:
        ticket.queue = queue
    return {
        "id": queue.public_id,
        "doctor": queue.doctor.name,
        "day": queue.day.isoformat(),
        "waiting": [ticket_out(p.ticket, p) for p in places],
        "called": [ticket_out(t) for t in tickets if t.status == TicketStatus.CALLED],
        "in_treatment": [ticket_out(t) for t in tickets if t.status == TicketStatus.IN_TREATMENT],
    }


@router.get("/queues/{queue_id}", response={200: QueueOut, **errors(401, 404)})
def get_queue(request, queue_id: str):
    """Staff of the clinic: the waiting tickets in the order they will be called."""
    return _queue_out(access.access_queue_by_id(actor=request.user, queue_id=queue_id))


@router.post("/queues/{queue_id}/call-next", response={200: TicketOut, **WRITE_ERRORS})
def call_next(request, queue_id: str, payload: CallIn | None = None):
    """Call the first of the line (409 ``queue_empty`` when nobody waits)."""
    queue = access.access_queue_by_id(actor=request.user, queue_id=queue_id)
    ticket = services.call_next(
        actor=request.user, queue=queue, room=payload.room if payload else ""
    )
    return ticket_out(_fresh(ticket))


@router.post("/clinics/{clinic_id}/walk-ins", response={201: TicketOut, **WRITE_ERRORS})
def walk_in(request, clinic_id: str, payload: WalkInIn):
    """The front desk gives a walk-in a ticket (B…), found or registered by mobile number."""
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    service = clinics.service_by_id(payload.service_id)
    if service.clinic_id != clinic.pk:
        raise NotFound(code="service_not_found")
    doctor = clinics.doctor_for_service(payload.doctor_id, service) if payload.doctor_id else None
    ticket = services.walk_in(
        actor=request.user,
        clinic=clinic,
        phone=payload.phone,
        name=payload.name,
        service=service,
        doctor=doctor,
    )
    return Status(201, ticket_out(_fresh(ticket)))


def _staff_ticket(request, ticket_id):
    return access.access_staff_ticket_by_id(actor=request.user, ticket_id=ticket_id)


@router.post("/queue-tickets/{ticket_id}/recall", response={200: TicketOut, **STEP_ERRORS})
def recall(request, ticket_id: str):
    ticket = services.recall(actor=request.user, ticket=_staff_ticket(request, ticket_id))
    return ticket_out(_fresh(ticket))


@router.post("/queue-tickets/{ticket_id}/skip", response={200: TicketOut, **STEP_ERRORS})
def skip(request, ticket_id: str):
    """Not there: back behind the next two, or a no-show after the third call."""
    ticket = services.skip(actor=request.user, ticket=_staff_ticket(request, ticket_id))
    return ticket_out(_fresh(ticket))


@router.post("/queue-tickets/{ticket_id}/start", response={200: TicketOut, **STEP_ERRORS})
def start(request, ticket_id: str):
    ticket = services.start(actor=request.user, ticket=_staff_ticket(request, ticket_id))
    return ticket_out(_fresh(ticket))


@router.post("/queue-tickets/{ticket_id}/finish", response={200: TicketOut, **STEP_ERRORS})
def finish(request, ticket_id: str):
    ticket = services.finish(actor=request.user, ticket=_staff_ticket(request, ticket_id))
    return ticket_out(_fresh(ticket))


@router.post("/queue-tickets/{ticket_id}/move", response={200: TicketOut, **WRITE_ERRORS})
def move(request, ticket_id: str, payload: MoveIn):
    """Put a waiting ticket before another of its queue (or last), with a reason."""
    ticket = _staff_ticket(request, ticket_id)
    before = (
        access.access_staff_ticket_by_id(actor=request.user, ticket_id=payload.before_id)
        if payload.before_id
        else None
    )
    ticket = services.move(actor=request.user, ticket=ticket, before=before, reason=payload.reason)
    return ticket_out(_fresh(ticket))


@router.post("/queue-tickets/{ticket_id}/transfer", response={200: TicketOut, **WRITE_ERRORS})
def transfer(request, ticket_id: str, payload: TransferIn):
    """To another doctor of the clinic, today."""
    ticket = _staff_ticket(request, ticket_id)
    doctor = clinics.doctor_by_id(payload.doctor_id)
    ticket = services.transfer(actor=request.user, ticket=ticket, doctor=doctor)
    return ticket_out(_fresh(ticket))
