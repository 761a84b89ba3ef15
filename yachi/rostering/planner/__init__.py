"""The roster planner: a pure-Python core (no Django) that proposes rosters.

Entry points (each takes and returns the dataclasses of ``model``):
- ``propose(instance, *, seed=0, time_limit_seconds=10.0) -> tuple[Option, ...]``: the
  Pareto front found by NSGA-II, every option feasible (``nsga``).
- ``check(instance, shifts, uncovered_appointments=()) -> list[Violation]``: the independent
  checker of every hard constraint (``check``).
- ``evaluate(instance, shifts) -> Objectives`` (``objectives``).
- ``repair_sick_day(instance, shifts, *, doctor_id, date) -> SickDayRepair`` (``repair``),
  and ``after_repair(...)``: the instance with the reassigned appointments, to check it.
- ``reference.solve_reference(instance)``: the CP-SAT model the benchmark compares with.
"""

from yachi.rostering.planner.check import check
from yachi.rostering.planner.compiled import WEIGHTS, evaluate
from yachi.rostering.planner.model import (
    PARTS,
    SKILLS,
    Appointment,
    Clinic,
    Demand,
    Doctor,
    HalfDay,
    InfeasibleInstance,
    Instance,
    Objectives,
    Option,
    Period,
    Reassignment,
    Shift,
    SickDayRepair,
    Violation,
)
from yachi.rostering.planner.repair import after_repair, repair_sick_day

__all__ = [
    "PARTS",
    "SKILLS",
    "WEIGHTS",
    "Appointment",
    "Clinic",
    "Demand",
    "Doctor",
    "HalfDay",
    "InfeasibleInstance",
    "Instance",
    "Objectives",
    "Option",
    "Period",
    "Reassignment",
    "Shift",
    "SickDayRepair",
    "Violation",
    "after_repair",
    "check",
    "evaluate",
    "propose",
    "repair_sick_day",
]


def propose(instance: Instance, **settings) -> tuple[Option, ...]:
    """NSGA-II's Pareto front (``nsga.propose``); pymoo is imported only when it is needed."""
    from yachi.rostering.planner.nsga import propose as run

    return run(instance, **settings)
