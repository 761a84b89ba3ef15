"""A doctor calls in sick: their patients go to a colleague, or are listed to be moved."""

import dataclasses

from yachi.rostering.planner import after_repair, check, repair_sick_day
from yachi.rostering.planner.model import Appointment, Doctor, Shift
from yachi.rostering.planner.tests.tiny import LI, MONDAY, WANG, ZHAO, at, half_day, instance


def shift(doctor, clinic, chair, date, part) -> Shift:
    h = half_day(clinic, date, part)
    return Shift(doctor, clinic, chair, h.start, h.end)


def test_a_colleague_on_shift_takes_the_patient_without_a_new_shift():
    booked = Appointment(1, LI, 1, 12, at(MONDAY, 9), at(MONDAY, 10))
    problem = instance(appointments=(booked,))
    roster = [shift(WANG, 1, 11, MONDAY, "morning"), shift(LI, 1, 12, MONDAY, "morning")]
    repair = repair_sick_day(problem, roster, doctor_id=LI, date=MONDAY)
    assert repair.removed == (roster[1],)
    assert repair.added == ()
    assert [(r.appointment_id, r.to_doctor_id, r.chair_id) for r in repair.reassigned] == [
        (1, WANG, 11)
    ]
    assert repair.uncovered_appointments == ()
    assert check(after_repair(problem, repair, doctor_id=LI, date=MONDAY), repair.shifts) == []


def test_with_no_one_on_shift_a_qualified_doctor_gets_the_sick_doctors_chair():
    booked = Appointment(2, WANG, 1, 11, at(MONDAY, 14), at(MONDAY, 15), skill="general")
    problem = instance(appointments=(booked,))
    roster = [shift(WANG, 1, 11, MONDAY, "afternoon"), shift(ZHAO, 2, 21, MONDAY, "morning")]
    repair = repair_sick_day(problem, roster, doctor_id=WANG, date=MONDAY)
    assert repair.added == (shift(LI, 1, 11, MONDAY, "afternoon"),)
    assert repair.uncovered_appointments == ()
    assert check(after_repair(problem, repair, doctor_id=WANG, date=MONDAY), repair.shifts) == []


def test_a_colleague_busy_with_their_own_patient_is_not_given_a_second_at_once():
    own = Appointment(3, LI, 1, 12, at(MONDAY, 9), at(MONDAY, 10))
    sick = Appointment(4, WANG, 1, 11, at(MONDAY, 9, 30), at(MONDAY, 10, 30))
    later = Appointment(5, WANG, 1, 11, at(MONDAY, 11), at(MONDAY, 11, 30))
    problem = instance(appointments=(own, sick, later))
    roster = [shift(WANG, 1, 11, MONDAY, "morning"), shift(LI, 1, 12, MONDAY, "morning")]
    repair = repair_sick_day(problem, roster, doctor_id=WANG, date=MONDAY)
    assert [r.appointment_id for r in repair.reassigned] == [5]
    assert repair.uncovered_appointments == (4,)


def test_a_patient_no_qualified_doctor_can_see_is_listed_to_be_moved():
    booked = Appointment(6, WANG, 1, 11, at(MONDAY, 9), at(MONDAY, 10), skill="endodontics")
    problem = instance(appointments=(booked,))
    roster = [shift(WANG, 1, 11, MONDAY, "morning"), shift(LI, 1, 12, MONDAY, "morning")]
    repair = repair_sick_day(problem, roster, doctor_id=WANG, date=MONDAY)
    assert repair.reassigned == ()
    assert repair.uncovered_appointments == (6,)
    # A second root-canal doctor at the clinic, free that morning, takes the patient.
    extra = Doctor(4, frozenset({"general", "endodontics"}), frozenset({1}))
    problem = dataclasses.replace(problem, doctors=(*problem.doctors, extra))
    repair = repair_sick_day(problem, roster, doctor_id=WANG, date=MONDAY)
    assert repair.added == (shift(4, 1, 11, MONDAY, "morning"),)
    assert repair.uncovered_appointments == ()
