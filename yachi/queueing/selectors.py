"""Reads of queues: the line in its fair order with the waits, a clinic's board, the
tickets of a patient, the day's summary per doctor."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from yachi.queueing import order
from yachi.queueing.choices import TicketKind, TicketStatus
from yachi.queueing.models import Queue, Ticket

RECENT_VISITS = 5


@dataclass(frozen=True)
class Place:
    ticket: Ticket
    position: int  # 1: next
    wait_minutes: int


def _waiting(ticket: Ticket) -> order.Waiting:
    return order.Waiting(
        id=ticket.pk,
        kind=ticket.kind,
        checked_in_at=ticket.checked_in_at,
        duration_minutes=ticket.duration_minutes,
        appointment_start=ticket.appointment_start,
        moved_at=ticket.moved_at,
        moved_before=ticket.moved_before_id,
    )


def doctor_pace(*, doctor_id: int, day: date) -> float:
    """How the doctor's last visits today compared with their planned length."""
    finished = Ticket.objects.filter(
        queue__doctor_id=doctor_id,
        day=day,
        status=TicketStatus.FINISHED,
        started_at__isnull=False,
        finished_at__isnull=False,
    ).order_by("-finished_at")[:RECENT_VISITS]
    return order.pace(
        [
            ((t.finished_at - t.started_at).total_seconds() / 60, t.duration_minutes)
            for t in finished
        ]
    )


def line(queue: Queue, *, now: datetime | None = None, tickets=None) -> list[Place]:
    """The waiting tickets of ``queue`` in the order they will be called, each with its
    position and estimated wait. ``tickets``: the queue's open tickets, when read."""
    now = now or timezone.now()
    if tickets is None:
        tickets = list(
            Ticket.objects.filter(
                queue=queue,
                status__in=(TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.IN_TREATMENT),
            )
        )
    waiting = {t.pk: t for t in tickets if t.status == TicketStatus.WAITING}
    ordered = order.fair_order(
        [_waiting(t) for t in waiting.values()],
        ratio=settings.YACHI_QUEUE_WALK_IN_RATIO,
        served_since_walk_in=queue.served_since_walk_in,
        grace=timedelta(minutes=settings.YACHI_QUEUE_LATE_GRACE_MINUTES),
    )
    pace = doctor_pace(doctor_id=queue.doctor_id, day=queue.day) if ordered else 1.0
    busy = sum(
        order.busy_minutes(
            started_at=t.started_at, duration_minutes=t.duration_minutes, pace=pace, now=now
        )
        if t.status == TicketStatus.IN_TREATMENT
        else t.duration_minutes * pace
        for t in tickets
        if t.status in (TicketStatus.CALLED, TicketStatus.IN_TREATMENT)
    )
    waits = order.waits(ordered, pace=pace, busy_minutes=busy)
    return [
        Place(ticket=waiting[w.id], position=i, wait_minutes=waits[w.id])
        for i, w in enumerate(ordered, start=1)
    ]


def ticket_place(ticket: Ticket, *, now: datetime | None = None) -> tuple[int | None, int | None]:
    """(position, estimated wait) of one ticket: (0, 0) once called or in the chair."""
    if ticket.status in (TicketStatus.CALLED, TicketStatus.IN_TREATMENT):
        return 0, 0
    if ticket.status != TicketStatus.WAITING:
        return None, None
    for place in line(ticket.queue, now=now):
        if place.ticket.pk == ticket.pk:
            return place.position, place.wait_minutes
    return None, None


def queues_of_clinic(*, clinic, day: date) -> list[Queue]:
    return list(
        Queue.objects.filter(clinic=clinic, day=day)
        .select_related("doctor")
        .order_by("doctor__name")
    )


def open_tickets_of_queues(queues) -> dict[int, list[Ticket]]:
    by_queue: dict[int, list[Ticket]] = {q.pk: [] for q in queues}
    for ticket in Ticket.objects.filter(
        queue__in=list(queues),
        status__in=(TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.IN_TREATMENT),
    ).select_related("service"):
        by_queue[ticket.queue_id].append(ticket)
    return by_queue


@dataclass
class QueueView:
    queue: Queue
    places: list[Place]
    called: list[Ticket]
    in_treatment: list[Ticket]


def clinic_queues(*, clinic, day: date, now: datetime | None = None) -> list[QueueView]:
    """Every doctor's queue at the clinic today: who is called, in the chair, and next."""
    queues = queues_of_clinic(clinic=clinic, day=day)
    open_tickets = open_tickets_of_queues(queues)
    views = []
    for queue in queues:
        tickets = open_tickets[queue.pk]
        views.append(
            QueueView(
                queue=queue,
                places=line(queue, now=now, tickets=tickets),
                called=sorted(
                    (t for t in tickets if t.status == TicketStatus.CALLED),
                    key=lambda t: t.called_at,
                    reverse=True,
                ),
                in_treatment=[t for t in tickets if t.status == TicketStatus.IN_TREATMENT],
            )
        )
    return views


def board(*, clinic, day: date, next_count: int = 3, now: datetime | None = None) -> dict:
    """What a waiting-room display shows: the tickets called (latest first) with their
    rooms, and the next few of each doctor's queue. Masked names only."""
    called, upcoming = [], []
    for view in clinic_queues(clinic=clinic, day=day, now=now):
        for ticket in view.called:
            called.append(
                {
                    "id": str(ticket.public_id),
                    "number": ticket.number,
                    "patient": ticket.masked_name,
                    "room": ticket.room,
                    "doctor": view.queue.doctor.name,
                    "queue_id": str(view.queue.public_id),
                    "called_at": ticket.called_at.isoformat(),
                    "call_count": ticket.call_count,
                }
            )
        upcoming.append(
            {
                "queue_id": str(view.queue.public_id),
                "doctor": view.queue.doctor.name,
                "next": [
                    {
                        "id": str(p.ticket.public_id),
                        "number": p.ticket.number,
                        "patient": p.ticket.masked_name,
                        "position": p.position,
                        "estimated_wait_minutes": p.wait_minutes,
                    }
                    for p in view.places[:next_count]
                ],
                "waiting": len(view.places),
            }
        )
    called.sort(key=lambda item: item["called_at"], reverse=True)
    return {"called": called, "queues": upcoming}


def patients_of_views(views) -> dict[int, str]:
    """The names staff see on their boards, by ticket (one read of the patients)."""
    ids = [
        t.pk
        for view in views
        for t in [*(p.ticket for p in view.places), *view.called, *view.in_treatment]
    ]
    return {
        t.pk: t.patient.display_name
        for t in Ticket.objects.filter(pk__in=ids).select_related("patient")
    }


def tickets_of_owner(*, owner, day: date) -> list[Ticket]:
    return list(
        Ticket.objects.filter(owner=owner, day=day)
        .select_related("queue", "queue__doctor", "clinic", "service")
        .order_by("checked_in_at")
    )


def ticket_by_pk(pk: int) -> Ticket:
    return Ticket.objects.select_related("queue", "queue__doctor", "clinic", "service").get(pk=pk)


def ticket_of_appointment(appointment_id: int) -> Ticket | None:
    return Ticket.objects.filter(appointment_id=appointment_id).first()


def tickets_of_appointments(appointment_ids) -> dict[int, Ticket]:
    return {
        t.appointment_id: t for t in Ticket.objects.filter(appointment_id__in=list(appointment_ids))
    }


@dataclass(frozen=True)
class DoctorDay:
    doctor: object
    patients: int
    finished: int
    no_shows: int
    average_wait_minutes: int | None
    longest_wait_minutes: int | None
    waiting_now: int


def day_summary(*, clinic, day: date, now: datetime | None = None) -> list[DoctorDay]:
    """Per doctor: how long patients waited from check-in to their first call (average,
    longest; those still waiting count until now), no-shows, visits finished."""
    now = now or timezone.now()
    rows = []
    for queue in queues_of_clinic(clinic=clinic, day=day):
        tickets = list(Ticket.objects.filter(queue=queue))
        waits = []
        for ticket in tickets:
            end = ticket.called_at or (now if ticket.status == TicketStatus.WAITING else None)
            if end is not None:
                waits.append((end - ticket.checked_in_at).total_seconds() / 60)
        rows.append(
            DoctorDay(
                doctor=queue.doctor,
                patients=len(tickets),
                finished=sum(1 for t in tickets if t.status == TicketStatus.FINISHED),
                no_shows=sum(1 for t in tickets if t.status == TicketStatus.NO_SHOW),
                average_wait_minutes=round(sum(waits) / len(waits)) if waits else None,
                longest_wait_minutes=round(max(waits)) if waits else None,
                waiting_now=sum(1 for t in tickets if t.status == TicketStatus.WAITING),
            )
        )
    return rows


KIND_ORDER = {TicketKind.EMERGENCY: 0, TicketKind.APPOINTMENT: 1, TicketKind.WALK_IN: 2}
