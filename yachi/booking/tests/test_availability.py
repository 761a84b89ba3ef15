from datetime import time, timedelta

import pytest

from conftest import tomorrow_at
from yachi.booking.selectors import clinic_saturation_grid, doctor_availability
from yachi.booking.services import appointment_cancel, appointments_book
from yachi.rostering.choices import ExceptionKind
from yachi.rostering.models import ShiftException
from yachi.rostering.services import shift_exception_save

# The cache is refreshed after commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


def tomorrow(world, **kwargs):
    days = doctor_availability(
        doctor=world.clinic_a_doctor, service=world.cleaning_a, days=2, **kwargs
    )
    return days[1]


def book(world, start, patient=None, actor=None, service=None):
    return appointments_book(
        actor=actor or world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=service or world.cleaning_a,
        start=start,
        patients=[patient or world.parent],
    ).appointments[0]


def test_seven_days_of_slots_in_the_clinic_time_zone(world):
    days = doctor_availability(doctor=world.clinic_a_doctor, service=world.cleaning_a)
    assert len(days) == 7
    day = days[1]
    assert day.slots[0][0] == tomorrow_at(9)
    assert day.slots[0][0].utcoffset() == timedelta(hours=8)
    assert day.slots[-1][1] == tomorrow_at(18)
    # 09:00–12:00 and 13:00–18:00 with 30-minute slots every 15 minutes
    assert len(day.slots) == 11 + 19
    assert day.level == "green"


def test_a_slot_that_was_just_booked_is_never_offered_again(world):
    assert tomorrow_at(10) in [s for s, _ in tomorrow(world).slots]  # now cached
    book(world, tomorrow_at(10))
    offered = [s for s, _ in tomorrow(world).slots]
    assert tomorrow_at(10) not in offered
    assert tomorrow_at(9, 45) not in offered  # would overlap
    assert tomorrow_at(10, 30) in offered


def test_a_cancelled_slot_is_offered_again(world):
    appointment = book(world, tomorrow_at(10))
    assert tomorrow_at(10) not in [s for s, _ in tomorrow(world).slots]
    appointment_cancel(actor=world.patient_parent, appointment=appointment)
    assert tomorrow_at(10) in [s for s, _ in tomorrow(world).slots]


def test_another_doctor_taking_the_last_chair_removes_the_slot(world):
    from tests.factories import occupy_chairs

    assert tomorrow_at(11) in [s for s, _ in tomorrow(world).slots]
    occupy_chairs(world.clinic_a, world.cleaning_a, tomorrow_at(11), count=3)  # all three
    assert tomorrow_at(11) not in [s for s, _ in tomorrow(world).slots]


def test_leave_added_to_the_roster_removes_the_day(world):
    assert tomorrow(world).slots
    shift_exception_save(
        exception=ShiftException(
            doctor=world.clinic_a_doctor, date=tomorrow_at(9).date(), kind=ExceptionKind.LEAVE
        )
    )
    day = tomorrow(world)
    assert day.slots == []
    assert day.level == "off"  # grey in the legend: no working time, not a full day
    assert not day.working


def test_an_extra_shift_adds_time(world):
    shift_exception_save(
        exception=ShiftException(
            doctor=world.clinic_a_doctor,
            clinic=world.clinic_a,
            date=tomorrow_at(9).date(),
            kind=ExceptionKind.EXTRA,
            start_time=time(18),
            end_time=time(20),
        )
    )
    assert tomorrow(world).slots[-1][1] == tomorrow_at(20)


def test_day_turns_yellow_then_red_as_it_fills(world):
    from tests.factories import patient_user

    # 8 working hours: 4 h taken is 50 % (yellow), 7 h is 87.5 % (red).
    starts = [tomorrow_at(h, m) for h in (9, 10, 11, 13, 14, 15, 16) for m in (0, 30)]
    for index, start in enumerate(starts):
        user = patient_user(f"138000002{index:02d}")
        book(world, start, patient=user.family_account.members.get(seat=0), actor=user)
        if index == 7:
            assert tomorrow(world).level == "yellow"
    day = tomorrow(world)
    assert day.level == "red"
    assert len(day.slots) == 3  # 17:00, 17:15, 17:30 are still free


def test_slots_too_soon_are_not_offered(world):
    now = tomorrow_at(10, 5)
    day = doctor_availability(
        doctor=world.clinic_a_doctor, service=world.cleaning_a, days=1, now=now
    )[0]
    assert day.slots[0][0] == tomorrow_at(10, 45)  # 30 minutes' notice, next step


def test_family_party_gets_only_back_to_back_starts(world):
    book(world, tomorrow_at(9, 30))
    starts = [s for s, _ in tomorrow(world, party_size=2).slots]
    assert tomorrow_at(9) not in starts
    assert tomorrow_at(10) in starts
    assert tomorrow_at(11) in starts
    assert tomorrow_at(11, 15) not in starts  # second half would run into lunch


def test_the_front_desk_grid_colours_every_doctor(world):
    book(world, tomorrow_at(10))
    grid = clinic_saturation_grid(
        clinic=world.clinic_a, doctors=[world.clinic_a_doctor, world.clinic_a_implant_doctor]
    )
    cell = grid[world.clinic_a_doctor.pk][1]
    assert cell.level == "green"
    assert cell.taken_share == 0.0625
    assert grid[world.clinic_a_implant_doctor.pk][1].taken_share == 0


def test_a_reader_that_raced_a_booking_cannot_cache_the_old_slots(world):
    """A reader computes from the old state, the booking commits and refreshes, then
    the reader stores its stale result: nobody may ever be offered it."""
    from yachi.booking import cache
    from yachi.booking.selectors import day_plans
    from yachi.booking.slots import day_slots

    day = tomorrow_at(9).date()
    variant = "30x1s15"
    keys = cache.day_keys(
        doctor_id=world.clinic_a_doctor.pk,
        clinic_id=world.clinic_a.pk,
        days=[day],
        variant=variant,
    )
    plan = day_plans(clinic=world.clinic_a, doctor_ids=[world.clinic_a_doctor.pk], days=[day])
    stale = day_slots(
        plan[(world.clinic_a_doctor.pk, day)],
        duration=timedelta(minutes=30),
        step=timedelta(minutes=15),
    )
    book(world, tomorrow_at(10))
    cache.store_days({keys[day]: stale})
    assert tomorrow_at(10) not in [s for s, _ in tomorrow(world).slots]
