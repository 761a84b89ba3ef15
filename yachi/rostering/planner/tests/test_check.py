"""The checker names every broken hard constraint, once each, in plain words."""

import dataclasses

import pytest

from yachi.rostering.planner.check import check
from yachi.rostering.planner.model import Appointment, Demand, Period, Shift
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


LEGAL = [
    shift(WANG, 1, 11, MONDAY, "morning"),
    shift(LI, 1, 12, MONDAY, "morning"),
    shift(LI, 1, 12, MONDAY, "afternoon"),
    shift(ZHAO, 2, 21, MONDAY, "morning"),
    shift(WANG, 2, 21, TUESDAY, "morning"),
]


def codes(violations) -> list[str]:
    return [v.code for v in violations]


def with_doctor(problem, doctor_id, **changes):
    doctors = tuple(
        dataclasses.replace(d, **changes) if d.id == doctor_id else d for d in problem.doctors
    )
    return dataclasses.replace(problem, doctors=doctors)


def test_a_legal_roster_has_no_violations():
    assert check(instance(), LEGAL) == []


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        (Shift(99, 1, 11, at(MONDAY, 13, 30), at(MONDAY, 17, 30)), "unknown_doctor"),
        (Shift(WANG, 9, 11, at(MONDAY, 13, 30), at(MONDAY, 17, 30)), "unknown_clinic"),
        (Shift(WANG, 1, 21, at(MONDAY, 13, 30), at(MONDAY, 17, 30)), "unknown_chair"),
        (Shift(WANG, 1, 11, at(MONDAY, 13, 0), at(MONDAY, 17, 30)), "not_a_half_day"),
        (shift(ZHAO, 1, 11, TUESDAY, "morning"), "wrong_clinic"),
        (shift(WANG, 1, 12, MONDAY, "afternoon"), "chair_taken"),
    ],
)
def test_each_broken_rule_of_one_shift_is_named(extra, code):
    found = check(instance(), [*LEGAL, extra])
    assert codes(found) == [code]
    assert found[0].message


def test_a_doctor_at_two_clinics_at_once_is_double_booked():
    found = check(
        instance(),
        [*LEGAL, shift(ZHAO, 2, 21, TUESDAY, "morning"), shift(ZHAO, 2, 21, MONDAY, "morning")],
    )
    assert "double_booked" in codes(found)
    found = check(
        instance(), [shift(WANG, 1, 11, MONDAY, "morning"), shift(WANG, 2, 21, MONDAY, "morning")]
    )
    assert codes(found) == ["double_booked"]


def test_outside_availability():
    problem = with_doctor(instance(), LI, available=(Period(at(MONDAY, 8), at(MONDAY, 12, 30)),))
    assert codes(check(problem, LEGAL)) == ["unavailable"]


def test_on_leave():
    problem = with_doctor(instance(), ZHAO, leave=(Period(at(MONDAY, 0), at(TUESDAY, 0)),))
    found = check(problem, LEGAL)
    assert codes(found) == ["on_leave"]
    assert "Doctor 3 is on leave" in found[0].message


def test_too_many_hours_in_a_day():
    problem = with_doctor(instance(), LI, max_hours_per_day=7.0)
    found = check(problem, LEGAL)
    assert codes(found) == ["day_too_long"]
    assert "7.5 h" in found[0].message


def test_too_many_hours_in_a_week():
    problem = with_doctor(instance(), WANG, max_hours_per_week=6.0)
    assert codes(check(problem, LEGAL)) == ["week_too_long"]


def test_an_evening_then_an_early_morning_leaves_too_little_rest():
    roster = [shift(LI, 1, 12, MONDAY, "evening"), shift(LI, 1, 12, TUESDAY, "morning")]
    found = check(instance(), roster)
    assert codes(found) == ["too_little_rest"]
    assert check(instance(min_rest_hours=11.0), roster) == []


def test_a_skill_the_forecast_needs_must_be_present():
    demand = (Demand(1, MONDAY, "morning", "endodontics", 90, 1.0),)
    roster = [s for s in LEGAL if s.doctor_id != WANG]
    found = check(instance(demand=demand), roster)
    assert codes(found) == ["skill_missing"]
    # Below the threshold, or where no doctor with the skill could be there, nothing is needed.
    assert check(instance(demand=demand, skill_required_minutes=120), roster) == []
    assert (
        check(with_doctor(instance(demand=demand), WANG, skills=frozenset({"general"})), roster)
        == []
    )


def test_a_booked_appointment_must_stay_with_its_doctor():
    booked = Appointment(7, LI, 1, 11, at(MONDAY, 14), at(MONDAY, 15))
    problem = instance(appointments=(booked,))
    # Li works that afternoon on chair 12; the visit keeps chair 11, which is free then.
    assert check(problem, LEGAL) == []
    to_wang = [
        dataclasses.replace(s, doctor_id=WANG) if s.doctor_id == LI and s.start.hour == 13 else s
        for s in LEGAL
    ]
    found = check(problem, to_wang)
    assert codes(found) == ["appointment_orphaned"]
    assert "Appointment 7" in found[0].message
    assert check(problem, to_wang, uncovered_appointments=[7]) == []
