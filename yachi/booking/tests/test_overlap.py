"""A window's appointments are read from where the window starts, not from the history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import tomorrow_at
from yachi.booking.models import Appointment
from yachi.booking.overlap import LONGEST_APPOINTMENT, clashing, overlapping
from yachi.booking.selectors import appointments_of_clinic_day
from yachi.booking.services import appointments_book
from yachi.clinics.models import LONGEST_SERVICE_MINUTES

pytestmark = pytest.mark.django_db


def test_the_longest_appointment_is_the_longest_service_a_clinic_may_define():
    assert timedelta(minutes=LONGEST_SERVICE_MINUTES) == LONGEST_APPOINTMENT


def test_an_appointment_running_into_the_window_is_found(world):
    booked = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]
    inside = booked.start + timedelta(minutes=5)

    found = overlapping(Appointment.objects.all(), inside, inside + timedelta(hours=1))

    assert list(found) == [booked]


def test_the_day_calendar_asks_for_nothing_that_started_before_the_longest_visit(world):
    day = tomorrow_at(9).date()
    with CaptureQueriesContext(connection) as queries:
        appointments_of_clinic_day(clinic=world.clinic_a, day=day)

    (appointments,) = [q["sql"] for q in queries if 'FROM "booking_appointment"' in q["sql"]]
    assert appointments.count('"start" >') == 1 and appointments.count('"start" <') == 1


def test_the_booking_guard_and_the_check_before_it_see_the_same_clash(world):
    """Whatever the engine, the check before the insert finds what the constraint
    (PostgreSQL's exclusion, SQLite's trigger) would refuse, and only that."""
    booked = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]
    doctors = Appointment.objects.filter(doctor=world.clinic_a_doctor)

    assert list(clashing(doctors, booked.start + timedelta(minutes=29), tomorrow_at(11))) == [
        booked
    ]
    assert not clashing(doctors, booked.end, booked.end + timedelta(minutes=30)).exists()
    assert not clashing(doctors, booked.start - timedelta(minutes=30), booked.start).exists()
