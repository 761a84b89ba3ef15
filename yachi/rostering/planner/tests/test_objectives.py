"""What a roster scores: demand served by urgency, the emergency buffer, hours and wishes."""

import dataclasses

from yachi.rostering.planner.compiled import evaluate
from yachi.rostering.planner.model import Appointment, Demand, Shift
from yachi.rostering.planner.tests.tiny import (
    LI,
    MONDAY,
    TUESDAY,
    WANG,
    ZHAO,
    at,
    half_day,
    instance,
)


def shift(doctor, clinic, chair, date, part) -> Shift:
    h = half_day(clinic, date, part)
    return Shift(doctor, clinic, chair, h.start, h.end)


def test_the_buffer_is_kept_first_then_the_most_urgent_demand_is_served():
    # Wang's morning at clinic 1 has 210 minutes: 30 kept for emergencies, 100 of pain cases
    # (weight 3) for root canals, then 80 of the 100 routine minutes.
    demand = (
        Demand(1, MONDAY, "morning", "general", 100, 1.0),
        Demand(1, MONDAY, "morning", "endodontics", 100, 3.0),
    )
    problem = instance(demand=demand, emergency_buffer_minutes=30)
    objectives = evaluate(problem, [shift(WANG, 1, 11, MONDAY, "morning")])
    assert objectives.unmet_demand_minutes == 20
    assert objectives.emergency_buffer_minutes == 30
    # With Li too, everything is served; root canals still only by Wang.
    both = [shift(WANG, 1, 11, MONDAY, "morning"), shift(LI, 1, 12, MONDAY, "morning")]
    assert evaluate(problem, both).unmet_demand_minutes == 0
    alone = evaluate(problem, [shift(LI, 1, 12, MONDAY, "morning")])
    assert alone.unmet_demand_minutes == 300  # no one for the root canals: 100 x 3


def test_booked_minutes_are_not_free_for_the_forecast():
    demand = (Demand(1, MONDAY, "morning", "general", 210, 1.0),)
    booked = Appointment(1, WANG, 1, 11, at(MONDAY, 9), at(MONDAY, 10))
    problem = instance(demand=demand, appointments=(booked,))
    assert evaluate(problem, [shift(WANG, 1, 11, MONDAY, "morning")]).unmet_demand_minutes == 60


def test_overtime_and_imbalance_are_hours_beyond_the_contract():
    doctors = tuple(dataclasses.replace(d, contract_hours_per_week=5.0) for d in instance().doctors)
    problem = instance(doctors=doctors)
    roster = [shift(LI, 1, 12, MONDAY, "morning"), shift(LI, 1, 12, MONDAY, "afternoon")]
    objectives = evaluate(problem, roster)
    # Contract: 5 h a week, for a 2-day horizon of which each doctor can work both days: 5 h.
    assert objectives.overtime_hours == 2.5
    # Li is 2.5 h over, Wang and Zhao 5 h under.
    assert objectives.imbalance_hours == 7.5


def test_preferences_count_days_off_worked_and_shifts_elsewhere():
    doctors = tuple(
        dataclasses.replace(d, preferred_days_off=frozenset({MONDAY})) if d.id == LI else d
        for d in instance().doctors
    )
    problem = instance(doctors=doctors)
    roster = [
        shift(LI, 1, 12, MONDAY, "morning"),
        shift(LI, 1, 12, MONDAY, "afternoon"),  # the same day off: counted once
        shift(WANG, 2, 21, TUESDAY, "morning"),  # away from Wang's clinic 1
        shift(ZHAO, 2, 21, MONDAY, "morning"),
    ]
    assert evaluate(problem, roster).preference_violations == 2
