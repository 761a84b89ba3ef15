"""What booking, which stands above rostering, tells a roster proposal: the visits
booked over the horizon (``rostering.changes.register_booked_visits``), the booking
history demand is estimated from (``forecast.history.register_booking_history``, the
forecast's own read), its hold on new bookings while a roster is published, and how the
sick-day repair hands visits over or asks patients to move (ADR 0020, ADR 0056)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from yachi.rostering import changes
from yachi.rostering.forecast.history import history as _booking_history


def booked(*, clinic_id: int, start: datetime, end: datetime) -> list:
    """Every active visit booked at the clinic between ``start`` and ``end``."""
    return [
        visit
        for function in changes._booked_visits
        for visit in function(doctor_ids=None, clinic_id=clinic_id, start=start, end=end)
    ]


def history(*, clinic_ids, start: datetime, end: datetime) -> list:
    return _booking_history(clinic_ids=clinic_ids, start=start, end=end)


_holds: list[Callable] = []


def register_booking_hold(function: Callable) -> None:
    """``function()`` keeps new bookings out until the current transaction ends (booking
    takes a lock on its appointments where the database needs one)."""
    if function not in _holds:
        _holds.append(function)


def hold_bookings() -> None:
    for function in _holds:
        function()


@dataclass(frozen=True)
class VisitMoves:
    """Booking's side of the sick-day repair, inside the caller's transaction.

    ``hand_over(*, actor, clinic_id, handovers: [(visit id, doctor pk)], reason)``: the
    visits go to those doctors at the same time and chair, audited, each patient told;
    all or nothing (a ``Conflict`` when a visit changed meanwhile).
    ``ask_to_move(*, actor, clinic_id, appointment_ids, reason)``: those patients get the
    message asking them to choose another time, with the link to rebook; audited."""

    hand_over: Callable
    ask_to_move: Callable


_moves: list[VisitMoves] = []


def register_visit_moves(moves: VisitMoves) -> None:
    if moves not in _moves:
        _moves.append(moves)


def visit_moves() -> VisitMoves:
    if not _moves:
        raise RuntimeError("booking has not registered how visits are handed over")
    return _moves[0]
