"""On random small chains, every option NSGA-II returns and every sick-day repair passes the
independent checker."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yachi.rostering.planner import (
    InfeasibleInstance,
    after_repair,
    check,
    propose,
    repair_sick_day,
)
from yachi.rostering.planner.model import (
    SKILLS,
    Appointment,
    Clinic,
    Demand,
    Doctor,
    HalfDay,
    Instance,
    Period,
)
from yachi.rostering.planner.tests.tiny import MONDAY, at

PARTS = {
    "morning": ((8, 0), (12, 0)),
    "afternoon": ((13, 0), (17, 0)),
    "evening": ((17, 30), (21, 0)),
}
SETTINGS = {
    "time_limit_seconds": 60.0,
    "max_generations": 2,
    "population_size": 8,
    "seed_moves": 100,
    "child_moves": 10,
    "polish_moves": 300,
    "polish_starts": 3,
}


@st.composite
def instances(draw) -> Instance:
    days = draw(st.integers(1, 3))
    clinic_count = draw(st.integers(1, 2))
    clinics = tuple(
        Clinic(c, tuple(10 * c + k for k in range(draw(st.integers(1, 2)))))
        for c in range(1, clinic_count + 1)
    )
    half_days = []
    for clinic in clinics:
        for day in range(days):
            date = MONDAY + dt.timedelta(days=day)
            for part in draw(
                st.lists(st.sampled_from(sorted(PARTS)), min_size=1, max_size=3, unique=True)
            ):
                (h1, m1), (h2, m2) = PARTS[part]
                half_days.append(HalfDay(clinic.id, date, part, at(date, h1, m1), at(date, h2, m2)))
    doctors = []
    for k in range(draw(st.integers(1, 4))):
        date = MONDAY + dt.timedelta(days=draw(st.integers(0, days - 1)))
        leave = (Period(at(date, 0), at(date, 23)),) if draw(st.booleans()) else ()
        doctors.append(
            Doctor(
                id=k + 1,
                skills=frozenset(
                    draw(st.lists(st.sampled_from(SKILLS[:3]), min_size=1, max_size=2))
                ),
                clinic_ids=frozenset(
                    draw(
                        st.lists(st.sampled_from([c.id for c in clinics]), min_size=1, unique=True)
                    )
                ),
                max_hours_per_day=draw(st.sampled_from((4.0, 8.0, 12.0))),
                max_hours_per_week=draw(st.sampled_from((8.0, 20.0, 40.0))),
                contract_hours_per_week=draw(st.sampled_from((4.0, 16.0))),
                leave=leave,
                preferred_days_off=frozenset({MONDAY}) if draw(st.booleans()) else frozenset(),
                preferred_clinic_id=clinics[0].id,
            )
        )
    demand = [
        Demand(
            h.clinic_id,
            h.date,
            h.part,
            draw(st.sampled_from(SKILLS[:3])),
            draw(st.integers(0, 300)),
            draw(st.sampled_from((1.0, 3.0))),
        )
        for h in half_days
        if draw(st.booleans())
    ]
    appointments = []
    for n in range(draw(st.integers(0, 3))):
        h = draw(st.sampled_from(half_days))
        doctor = draw(st.sampled_from(doctors))
        chair = draw(st.sampled_from(next(c.chair_ids for c in clinics if c.id == h.clinic_id)))
        start = h.start + dt.timedelta(minutes=30 * draw(st.integers(0, 4)))
        appointments.append(
            Appointment(
                n + 1, doctor.id, h.clinic_id, chair, start, start + dt.timedelta(minutes=60)
            )
        )
    return Instance(
        start=MONDAY,
        days=days,
        clinics=clinics,
        half_days=tuple(half_days),
        doctors=tuple(doctors),
        demand=tuple(demand),
        appointments=tuple(appointments),
        emergency_buffer_minutes=draw(st.sampled_from((0, 30))),
        skill_required_minutes=draw(st.sampled_from((60, 10_000))),
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 3))
def test_every_option_satisfies_every_hard_constraint(problem, seed):
    try:
        options = propose(problem, seed=seed, max_options=None, **SETTINGS)
    except InfeasibleInstance:
        return
    assert options
    for option in options:
        assert check(problem, option.shifts, option.uncovered_appointments) == []
        assert set(option.uncovered_appointments) <= {a.id for a in problem.appointments}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.data())
def test_a_sick_day_repair_keeps_the_roster_legal_for_the_patients(problem, data):
    try:
        options = propose(problem, seed=0, max_options=1, **SETTINGS)
    except InfeasibleInstance:
        return
    roster = options[0]
    sick = data.draw(st.sampled_from(problem.doctors))
    date = data.draw(st.sampled_from(problem.dates))
    repair = repair_sick_day(problem, roster.shifts, doctor_id=sick.id, date=date)
    repaired = after_repair(problem, repair, doctor_id=sick.id, date=date)
    excused = set(roster.uncovered_appointments) | set(repair.uncovered_appointments)
    broken = [v for v in check(repaired, repair.shifts, excused) if v.code != "skill_missing"]
    assert broken == []
    assert not any(s.doctor_id == sick.id and s.start.date() == date for s in repair.shifts)
