"""NSGA-II proposes a front of legal rosters, the same for the same seed."""

import dataclasses

import pytest

from yachi.rostering.planner import InfeasibleInstance, Option, check, propose
from yachi.rostering.planner.model import Appointment, Demand, Period
from yachi.rostering.planner.synthetic import chain
from yachi.rostering.planner.tests.tiny import LI, MONDAY, TUESDAY, WANG, ZHAO, at, instance

QUICK = {
    "time_limit_seconds": 60.0,
    "max_generations": 3,
    "population_size": 16,
    "seed_moves": 300,
    "child_moves": 20,
    "polish_moves": 300,
    "polish_starts": 3,
}


@pytest.fixture(scope="module")
def week():
    problem = chain(8, 7, seed=3)
    return problem, propose(problem, seed=1, **QUICK)


def test_every_option_is_legal_distinct_and_sorted(week):
    problem, options = week
    assert options
    for option in options:
        assert check(problem, option.shifts, option.uncovered_appointments) == []
    points = [tuple(o.objectives.as_dict().values()) for o in options]
    assert len(set(points)) == len(points)
    assert points == sorted(points)
    assert [o.id for o in options] == [str(k) for k in range(1, len(options) + 1)]


def test_the_same_seed_gives_the_same_front(week):
    problem, options = week
    again = propose(problem, seed=1, **QUICK)
    assert again == options


def test_options_trade_objectives_against_each_other(week):
    _problem, options = week
    assert len(options) > 1
    best_unmet = min(options, key=lambda o: o.objectives.unmet_demand_minutes)
    best_preferences = min(options, key=lambda o: o.objectives.preference_violations)
    assert best_unmet.objectives != best_preferences.objectives


def test_a_booked_appointment_keeps_its_doctor_and_chair():
    booked = Appointment("a1", LI, 1, 11, at(MONDAY, 9), at(MONDAY, 10))
    problem = instance(appointments=(booked,))
    options = propose(problem, seed=0, **QUICK)
    assert options
    for option in options:
        assert option.uncovered_appointments == ()
        assert any(
            s.doctor_id == LI and s.chair_id == 11 and s.start == at(MONDAY, 8, 30)
            for s in option.shifts
        )


def test_two_doctors_visits_on_one_chair_in_one_half_day_are_both_kept():
    # Booking seats a visit in any free chair: Wang's at 9 and Li's at 11 both took chair 11.
    booked = (
        Appointment("b1", WANG, 1, 11, at(MONDAY, 9), at(MONDAY, 10)),
        Appointment("b2", LI, 1, 11, at(MONDAY, 11), at(MONDAY, 12)),
    )
    problem = instance(appointments=booked)
    options = propose(problem, seed=0, **QUICK)
    assert options
    for option in options:
        assert option.uncovered_appointments == ()
        assert check(problem, option.shifts) == []
        mornings = {s.doctor_id: s.chair_id for s in option.shifts if s.start == at(MONDAY, 8, 30)}
        assert mornings == {WANG: 11, LI: 12}


def test_an_appointment_its_doctor_cannot_keep_is_reported_uncovered():
    booked = Appointment("a2", ZHAO, 2, 21, at(TUESDAY, 9), at(TUESDAY, 10))
    doctors = tuple(
        dataclasses.replace(d, leave=(Period(at(TUESDAY, 0), at(TUESDAY, 23)),))
        if d.id == ZHAO
        else d
        for d in instance().doctors
    )
    options = propose(instance(appointments=(booked,), doctors=doctors), seed=0, **QUICK)
    assert options
    assert all(o.uncovered_appointments == ("a2",) for o in options)


def test_no_roster_at_all_is_refused_with_the_reason():
    # Wang alone does root canals and is held at clinic 2 by a booked patient that morning.
    booked = Appointment("a3", WANG, 2, 21, at(MONDAY, 9), at(MONDAY, 10))
    demand = (Demand(1, MONDAY, "morning", "endodontics", 120, 3.0),)
    with pytest.raises(InfeasibleInstance) as refused:
        propose(instance(appointments=(booked,), demand=demand), seed=0, **QUICK)
    assert "a doctor with endodontics at clinic 1 on 2026-03-02 morning" in str(refused.value)


def test_max_options_keeps_a_spread_of_the_front(week):
    problem, options = week
    few = propose(problem, seed=1, max_options=3, **QUICK)
    assert len(few) == min(3, len(options))
    assert all(isinstance(o, Option) for o in few)
    assert min(o.objectives.unmet_demand_minutes for o in few) == min(
        o.objectives.unmet_demand_minutes for o in options
    )
