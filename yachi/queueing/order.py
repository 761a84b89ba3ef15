"""The fair order of a queue, and the wait it means (pure: no Django).

The rules, in the order they apply (the console's help page says the same):

1. Emergencies first, in the order they arrived.
2. Appointments: a patient on time (checked in no later than the start plus the grace
   period) waits by the time of their appointment, not by when they came; an early
   arrival gains nothing over the patient booked before them.
3. A late arrival waits behind everyone who was on time for an appointment before the
   moment they arrived: they take their place by the time they came.
4. Walk-ins, in the order they came, get one turn after every ``ratio`` appointments
   called; the count carries over from the calls already made
   (``served_since_walk_in``), so a walk-in's turn comes nearer with every call.
5. Staff may move a ticket (with a reason, audited): it then waits just before the
   ticket it was put before, or last when put at the end; several moves apply in the
   order they were made. If the ticket it was put before has left the line, it is next.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

APPOINTMENT = "appointment"
WALK_IN = "walk_in"
EMERGENCY = "emergency"

# The pace of a doctor is believed within these bounds, and only from this many visits.
PACE_BOUNDS = (0.5, 2.0)
PACE_MINIMUM_VISITS = 2


@dataclass(frozen=True)
class Waiting:
    id: int
    kind: str
    checked_in_at: datetime
    duration_minutes: int = 30
    appointment_start: datetime | None = None
    moved_at: datetime | None = None
    moved_before: int | None = None  # the ticket it was put before; None: at the end


def is_late(*, checked_in_at: datetime, appointment_start: datetime, grace: timedelta) -> bool:
    return checked_in_at > appointment_start + grace


def _appointment_key(ticket: Waiting, grace: timedelta) -> tuple:
    start = ticket.appointment_start or ticket.checked_in_at
    if is_late(checked_in_at=ticket.checked_in_at, appointment_start=start, grace=grace):
        # After everyone on time for a time up to the moment they came (1 after 0).
        return (ticket.checked_in_at, 1, ticket.id)
    return (start, 0, ticket.id)


def fair_order(
    tickets: Iterable[Waiting],
    *,
    ratio: int,
    served_since_walk_in: int = 0,
    grace: timedelta = timedelta(minutes=10),
) -> list[Waiting]:
    """The waiting tickets of one queue, first to be called first."""
    tickets = list(tickets)
    moved = sorted((t for t in tickets if t.moved_at is not None), key=lambda t: t.moved_at)
    rest = [t for t in tickets if t.moved_at is None]
    emergencies = sorted(
        (t for t in rest if t.kind == EMERGENCY), key=lambda t: (t.checked_in_at, t.id)
    )
    appointments = sorted(
        (t for t in rest if t.kind == APPOINTMENT), key=lambda t: _appointment_key(t, grace)
    )
    walk_ins = sorted((t for t in rest if t.kind == WALK_IN), key=lambda t: (t.checked_in_at, t.id))
    line = list(emergencies)
    ratio = max(1, ratio)
    # Appointments still to be called before the next walk-in's turn.
    before_walk_in = max(0, ratio - served_since_walk_in)
    while appointments or walk_ins:
        if walk_ins and (before_walk_in == 0 or not appointments):
            line.append(walk_ins.pop(0))
            before_walk_in = ratio
        else:
            line.append(appointments.pop(0))
            before_walk_in -= 1
    for ticket in moved:
        anchor = next((i for i, t in enumerate(line) if t.id == ticket.moved_before), None)
        if ticket.moved_before is None:
            line.append(ticket)
        elif anchor is None:
            line.insert(0, ticket)
        else:
            line.insert(anchor, ticket)
    return line


def pace(visits: Sequence[tuple[float, int]]) -> float:
    """How the doctor's recent visits compared with their planned length: the median
    of actual / planned minutes, within ``PACE_BOUNDS``; 1.0 without enough visits."""
    ratios = sorted(actual / planned for actual, planned in visits if planned > 0 and actual > 0)
    if len(ratios) < PACE_MINIMUM_VISITS:
        return 1.0
    middle = len(ratios) // 2
    median = ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2
    return min(max(median, PACE_BOUNDS[0]), PACE_BOUNDS[1])


def waits(
    line: Sequence[Waiting], *, pace: float = 1.0, busy_minutes: float = 0.0
) -> dict[int, int]:
    """The estimated minutes each ticket waits: what is left of the patient in the chair
    (``busy_minutes``) and the planned minutes of everyone ahead, at the doctor's pace."""
    waited = max(0.0, busy_minutes)
    estimates = {}
    for ticket in line:
        estimates[ticket.id] = round(waited)
        waited += ticket.duration_minutes * pace
    return estimates


def busy_minutes(
    *, started_at: datetime | None, duration_minutes: int, pace: float, now: datetime
) -> float:
    """What is left of the visit in the chair, at the doctor's pace (never below zero)."""
    if started_at is None:
        return 0.0
    spent = (now - started_at).total_seconds() / 60
    return max(0.0, duration_minutes * pace - spent)
