"""The CP-SAT reference solves the same problem: its roster passes the same checker."""

from yachi.rostering.planner import check
from yachi.rostering.planner.compiled import Compiled
from yachi.rostering.planner.model import Appointment, Demand
from yachi.rostering.planner.reference import solve_reference
from yachi.rostering.planner.tests.tiny import LI, MONDAY, at, instance


def test_the_reference_roster_is_legal_and_serves_the_demand():
    demand = (
        Demand(1, MONDAY, "morning", "endodontics", 120, 3.0),
        Demand(1, MONDAY, "morning", "general", 200, 1.0),
    )
    booked = Appointment(1, LI, 1, 12, at(MONDAY, 14), at(MONDAY, 15))
    problem = instance(demand=demand, appointments=(booked,), emergency_buffer_minutes=30)
    reference = solve_reference(problem, time_limit_seconds=10, workers=1)
    assert reference.status == "optimal"
    assert check(problem, reference.shifts, Compiled(problem).uncovered) == []
    assert reference.objectives.unmet_demand_minutes == 0
    assert any(
        s.doctor_id == LI and s.chair_id == 12 and s.start == at(MONDAY, 13, 30)
        for s in reference.shifts
    )
