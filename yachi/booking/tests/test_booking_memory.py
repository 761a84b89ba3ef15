"""What a booking remembers of a doctor's roster and a clinic's chairs is dropped as soon
as the roster or the chairs change: the next booking sees the change."""

from datetime import time

import pytest

from conftest import tomorrow_at
from yachi.booking.tests.test_booking_api import booking
from yachi.clinics.services import chair_save
from yachi.rostering.choices import ExceptionKind
from yachi.rostering.models import ShiftException
from yachi.rostering.services import shift_exception_save

pytestmark = pytest.mark.django_db


def test_leave_taken_after_a_booking_refuses_the_next_booking_in_it(api, world):
    api.as_user(world.patient_parent)
    assert api.post("/appointments", booking(world, tomorrow_at(10))).status_code == 201
    shift_exception_save(
        exception=ShiftException(
            doctor=world.clinic_a_doctor,
            clinic=world.clinic_a,
            date=tomorrow_at(14).date(),
            kind=ExceptionKind.LEAVE,
            start_time=time(14),
            end_time=time(16),
        )
    )
    api.as_user(world.other_patient)
    response = api.post("/appointments", booking(world, tomorrow_at(14)))
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == "slot_unavailable"


def test_a_chair_taken_out_of_service_after_a_booking_is_not_given_again(api, world):
    api.as_user(world.patient_parent)
    first = api.post("/appointments", booking(world, tomorrow_at(10))).json()
    (chair,) = [c for c in world.chairs_a if c.name == first["chair"]]
    chair.is_active = False
    chair_save(chair=chair)
    api.as_user(world.other_patient)
    again = api.post("/appointments", booking(world, tomorrow_at(11))).json()
    assert again["chair"] != first["chair"]
