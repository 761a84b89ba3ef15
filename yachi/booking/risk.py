"""No-show risk as booking sees it (ADR 0051).

Booking does not know how a no-show risk is scored: CRM, above it, registers a scorer
here at start-up (``no_show_scorer_register``), as payments' owners register their
handlers (ADR 0020). Booking asks it two things: at a patient's booking, whether the
clinic's policy wants a deposit for this person and time, and for pages, the risk of
appointments already scored. Without a registered scorer both answers are "none".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class NoShowRisk:
    """What the front desk sees of an appointment's risk: a probability (0–1), a level
    (``low`` / ``medium`` / ``high``), the main reasons in words, and whether the
    clinic's policy flagged it for a confirmation call."""

    score: float
    level: str
    reasons: tuple[str, ...]
    call_flagged: bool = False

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class BookingFacts:
    """What a scorer is told of a booking about to be written."""

    clinic_id: int
    patient_id: int
    service_id: int
    start: datetime
    channel: str
    now: datetime


_deposit_for: Callable[[BookingFacts], int] | None = None
_deposit_clinics: Callable[[], frozenset[int]] | None = None
_risks_of: Callable[[list[int]], dict[int, NoShowRisk]] | None = None


def no_show_scorer_register(
    *,
    deposit_for: Callable[[BookingFacts], int],
    deposit_clinics: Callable[[], frozenset[int]],
    risks_of: Callable[[list[int]], dict[int, NoShowRisk]],
) -> None:
    """``deposit_for(facts)`` answers the deposit (fen) the clinic's policy asks of this
    booking for its risk, 0 for none; ``deposit_clinics()`` the clinics whose policy asks
    deposits at all (cheap: asked at every patient's booking, without SQL);
    ``risks_of(appointment_pks)`` answers the scored ones among them. Registering again
    replaces the scorer."""
    global _deposit_for, _deposit_clinics, _risks_of
    _deposit_for, _deposit_clinics, _risks_of = deposit_for, deposit_clinics, risks_of


def deposit_policy_at(clinic_id: int) -> bool:
    """Whether the clinic's no-show policy may ask a deposit of a booking there: where
    none does, a booking keeps its one-statement path (ADR 0036)."""
    return _deposit_clinics is not None and clinic_id in _deposit_clinics()


def risk_deposit_fen(facts: BookingFacts) -> int:
    return _deposit_for(facts) if _deposit_for is not None else 0


def no_show_risks(appointments: Iterable) -> dict[int, NoShowRisk]:
    """The risks of these appointments (or primary keys) that have been scored."""
    pks = [getattr(a, "pk", a) for a in appointments]
    if _risks_of is None or not pks:
        return {}
    return _risks_of(pks)


def risks_attach(appointments):
    """Set ``no_show_risk`` (a ``NoShowRisk`` or None) on each appointment, in one query."""
    appointments = list(appointments)
    found = no_show_risks(appointments)
    for appointment in appointments:
        appointment.no_show_risk = found.get(appointment.pk)
    return appointments
