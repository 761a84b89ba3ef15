"""The planner's data contract: what goes in (an ``Instance``) and what comes out (``Option``s).

Plain frozen dataclasses, no Django: the rostering context builds an ``Instance`` from its
tables and the forecast, and turns the chosen ``Option`` back into working hours.

Conventions
- Times are aware ``datetime``s; a half-day's ``date`` is its clinic's local date.
- A shift is always one whole half-day of one clinic (its ``start`` and ``end``).
- Weeks are 7-day blocks counted from ``Instance.start`` (the ``week_start`` of a proposal).
- Minutes are integers; hours in objectives are floats rounded to 0.01.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The skills a doctor may have and demand is forecast for (clinics' skills).
SKILLS = ("general", "endodontics", "implant", "orthodontics", "paediatric", "periodontics")

# Half-day parts, in the order of the day. An evening is a half-day too: clinics that open late
# have one, and the rest rule keeps a doctor from working it before an early morning.
PARTS = ("morning", "afternoon", "evening")

AppointmentId = int | str


@dataclass(frozen=True)
class Period:
    """A stretch of time [start, end)."""

    start: dt.datetime
    end: dt.datetime

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start < end and start < self.end

    def contains(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class HalfDay:
    """One opening half-day of one clinic: the unit a doctor is rostered for. A clinic's
    half-days do not overlap each other."""

    clinic_id: int
    date: dt.date
    part: str  # one of PARTS
    start: dt.datetime
    end: dt.datetime

    @property
    def key(self) -> tuple[int, dt.date, str]:
        return (self.clinic_id, self.date, self.part)

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Clinic:
    id: int
    chair_ids: tuple[int, ...]


@dataclass(frozen=True)
class Doctor:
    """A doctor of the chain with what limits and what they would like.

    ``available``: the periods the doctor can work (``None``: any time); a shift must lie within
    one of them. ``leave``: periods no shift may touch. ``contract_hours_per_week``: hours beyond
    it count as overtime; ``max_hours_per_week`` and ``max_hours_per_day`` are hard limits.
    ``preferred_days_off`` are dates (the caller expands standing weekdays into dates).
    """

    id: int
    skills: frozenset[str]
    clinic_ids: frozenset[int]
    max_hours_per_day: float = 9.0
    max_hours_per_week: float = 48.0
    contract_hours_per_week: float = 40.0
    available: tuple[Period, ...] | None = None
    leave: tuple[Period, ...] = ()
    preferred_days_off: frozenset[dt.date] = frozenset()
    preferred_clinic_id: int | None = None


@dataclass(frozen=True)
class Demand:
    """Forecast minutes of one skill at one clinic half-day, with their urgency weight.

    Several entries may share a half-day and skill with different weights (routine check-ups
    and pain cases): unmet minutes are counted times their weight.
    """

    clinic_id: int
    date: dt.date
    part: str
    skill: str
    minutes: int
    urgency_weight: float = 1.0

    @property
    def key(self) -> tuple[int, dt.date, str]:
        return (self.clinic_id, self.date, self.part)


@dataclass(frozen=True)
class Appointment:
    """An appointment already booked: its doctor must work there, then; it keeps its chair."""

    id: AppointmentId
    doctor_id: int
    clinic_id: int
    chair_id: int
    start: dt.datetime
    end: dt.datetime
    skill: str = "general"

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Instance:
    """One planning problem: a horizon of ``days`` days from ``start`` for a set of clinics.

    ``emergency_buffer_minutes``: the minutes to keep free at each clinic half-day for
    emergencies (急诊插队); a half-day keeps what its rostered time allows, up to that.
    ``skill_required_minutes``: a skill whose forecast at a half-day reaches this many minutes
    must be present there (a hard constraint). ``min_rest_hours``: the least time between a
    doctor's last shift of a day and the first of the next.
    """

    start: dt.date
    days: int
    clinics: tuple[Clinic, ...]
    half_days: tuple[HalfDay, ...]
    doctors: tuple[Doctor, ...]
    demand: tuple[Demand, ...] = ()
    appointments: tuple[Appointment, ...] = ()
    emergency_buffer_minutes: int = 0
    skill_required_minutes: int = 60
    min_rest_hours: float = 12.0

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(self.start + dt.timedelta(days=i) for i in range(self.days))

    @property
    def weeks(self) -> int:
        return -(-self.days // 7)

    def week_of(self, date: dt.date) -> int:
        return (date - self.start).days // 7


@dataclass(frozen=True, order=True)
class Shift:
    """A doctor rostered at a clinic and chair for one half-day [start, end)."""

    doctor_id: int
    clinic_id: int
    chair_id: int
    start: dt.datetime
    end: dt.datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass(frozen=True)
class Objectives:
    """How good a roster is. All are minimised except ``emergency_buffer_minutes``, the
    minutes kept free for emergencies over the horizon, which is maximised (the optimizer
    minimises the shortfall from the instance's target).

    - ``unmet_demand_minutes``: forecast minutes no rostered doctor can serve, times urgency.
    - ``imbalance_hours``: the spread between the most and the least loaded doctor, in hours
      worked beyond (or short of) their contract over the horizon.
    - ``overtime_hours``: hours beyond each doctor's contract, week by week, summed.
    - ``preference_violations``: days worked that the doctor wanted off, plus shifts away
      from the doctor's preferred clinic.
    """

    unmet_demand_minutes: float
    imbalance_hours: float
    overtime_hours: float
    preference_violations: int
    emergency_buffer_minutes: int

    NAMES = (
        "unmet_demand_minutes",
        "imbalance_hours",
        "overtime_hours",
        "preference_violations",
        "emergency_buffer_minutes",
    )

    def as_dict(self) -> dict[str, float | int]:
        return {name: getattr(self, name) for name in self.NAMES}


@dataclass(frozen=True)
class Option:
    """One roster on the Pareto front. ``uncovered_appointments``: ids of booked appointments
    no legal roster can keep with their doctor (the doctor is on leave then, say)."""

    id: str
    objectives: Objectives
    shifts: tuple[Shift, ...]
    uncovered_appointments: tuple[AppointmentId, ...] = ()


@dataclass(frozen=True)
class Violation:
    """A hard constraint a roster breaks, in words a manager understands."""

    code: str
    message: str


@dataclass(frozen=True)
class Reassignment:
    """A booked appointment handed to another doctor (sick-day repair)."""

    appointment_id: AppointmentId
    from_doctor_id: int
    to_doctor_id: int
    chair_id: int


@dataclass(frozen=True)
class SickDayRepair:
    """The smallest change that covers a sick doctor's booked patients on one date.

    ``removed``: the sick doctor's shifts that day; ``added``: new shifts of other doctors;
    ``reassigned``: appointments moved to another doctor; ``uncovered_appointments``: those no
    qualified doctor can take (their patients must be moved). ``shifts``: the roster after it.
    """

    removed: tuple[Shift, ...]
    added: tuple[Shift, ...]
    reassigned: tuple[Reassignment, ...]
    uncovered_appointments: tuple[AppointmentId, ...]
    shifts: tuple[Shift, ...] = field(default=())


class InfeasibleInstance(Exception):
    """No roster satisfies the hard constraints; ``problems`` say why, plainly."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems
