"""The fair order and the waits, as pure functions (no database)."""

from datetime import UTC, datetime, timedelta

from yachi.queueing import order
from yachi.queueing.order import APPOINTMENT, EMERGENCY, WALK_IN, Waiting

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def appointment(id, start, came, **kw):
    return Waiting(
        id=id, kind=APPOINTMENT, appointment_start=at(start), checked_in_at=at(came), **kw
    )


def walk_in(id, came, **kw):
    return Waiting(id=id, kind=WALK_IN, checked_in_at=at(came), **kw)


def ids(line):
    return [t.id for t in line]


def test_emergencies_come_first_in_the_order_they_came():
    line = order.fair_order(
        [
            appointment(1, 0, -20),
            Waiting(id=2, kind=EMERGENCY, checked_in_at=at(5)),
            Waiting(id=3, kind=EMERGENCY, checked_in_at=at(1)),
        ],
        ratio=3,
    )
    assert ids(line) == [3, 2, 1]


def test_appointments_on_time_wait_by_their_time_not_by_when_they_came():
    line = order.fair_order(
        [appointment(1, 30, -10), appointment(2, 0, -5), appointment(3, 15, -30)], ratio=3
    )
    assert ids(line) == [2, 3, 1]


def test_a_late_arrival_waits_behind_those_on_time_before_they_came():
    # 1 was due at 9:00 and came at 9:25 (late); 2 (9:15) and 3 (9:20) were on time;
    # 4 is due at 9:45: the late patient goes before them.
    line = order.fair_order(
        [
            appointment(1, 0, 25),
            appointment(2, 15, 10),
            appointment(3, 20, 18),
            appointment(4, 45, 0),
        ],
        ratio=9,
        grace=timedelta(minutes=10),
    )
    assert ids(line) == [2, 3, 1, 4]


def test_within_the_grace_period_a_patient_is_on_time():
    assert not order.is_late(
        checked_in_at=at(10), appointment_start=at(0), grace=timedelta(minutes=10)
    )
    assert order.is_late(checked_in_at=at(11), appointment_start=at(0), grace=timedelta(minutes=10))


def test_walk_ins_are_interleaved_at_the_ratio():
    tickets = [appointment(i, i * 10, -30) for i in range(1, 6)] + [walk_in(11, 0), walk_in(12, 1)]
    assert ids(order.fair_order(tickets, ratio=2)) == [1, 2, 11, 3, 4, 12, 5]


def test_a_walk_ins_turn_comes_nearer_with_every_call():
    tickets = [appointment(i, i * 10, -30) for i in range(1, 6)] + [walk_in(11, 0)]
    assert ids(order.fair_order(tickets, ratio=3, served_since_walk_in=0))[:4] == [1, 2, 3, 11]
    assert ids(order.fair_order(tickets, ratio=3, served_since_walk_in=2))[:2] == [1, 11]
    assert ids(order.fair_order(tickets, ratio=3, served_since_walk_in=3))[0] == 11


def test_walk_ins_alone_are_called_as_they_came():
    assert ids(order.fair_order([walk_in(2, 5), walk_in(1, 1)], ratio=3)) == [1, 2]


def test_a_moved_ticket_waits_before_the_one_it_was_put_before():
    tickets = [
        appointment(1, 0, -5),
        appointment(2, 10, -5),
        appointment(3, 20, -5, moved_at=at(1), moved_before=1),
    ]
    assert ids(order.fair_order(tickets, ratio=3)) == [3, 1, 2]


def test_a_ticket_moved_to_the_end_is_last_and_one_whose_anchor_left_is_next():
    tickets = [
        appointment(1, 0, -5, moved_at=at(1)),
        appointment(2, 10, -5),
        appointment(3, 20, -5, moved_at=at(2), moved_before=99),
    ]
    assert ids(order.fair_order(tickets, ratio=3)) == [3, 2, 1]


def test_the_order_is_a_function_of_the_tickets_not_of_their_order_given():
    tickets = [appointment(1, 0, -5), walk_in(5, 2), appointment(2, 10, 15), appointment(3, 20, -1)]
    assert ids(order.fair_order(tickets, ratio=1)) == ids(
        order.fair_order(reversed(tickets), ratio=1)
    )


def test_the_pace_is_the_median_within_bounds_and_one_without_enough_visits():
    assert order.pace([]) == 1.0
    assert order.pace([(60, 30)]) == 1.0
    assert order.pace([(45, 30), (30, 30), (60, 30)]) == 1.5
    assert order.pace([(300, 30), (300, 30)]) == 2.0


def test_waits_add_the_planned_minutes_ahead_at_the_doctors_pace():
    line = [
        Waiting(id=i, kind=WALK_IN, checked_in_at=at(i), duration_minutes=30) for i in (1, 2, 3)
    ]
    assert order.waits(line, pace=1.5, busy_minutes=10) == {1: 10, 2: 55, 3: 100}


def test_what_is_left_of_the_visit_in_the_chair():
    assert order.busy_minutes(started_at=at(0), duration_minutes=30, pace=1.0, now=at(10)) == 20
    assert order.busy_minutes(started_at=at(0), duration_minutes=30, pace=1.0, now=at(50)) == 0
    assert order.busy_minutes(started_at=None, duration_minutes=30, pace=1.0, now=at(0)) == 0
