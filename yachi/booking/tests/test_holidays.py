"""A day the clinic's calendar closes has no bookable time, cached or not."""

import pytest

from conftest import tomorrow_at
from yachi.booking.errors import SlotUnavailable
from yachi.booking.selectors import doctor_availability
from yachi.booking.services import appointments_book
from yachi.clinics.choices import DayKind
from yachi.clinics.facade import calendar_day_delete, calendar_day_save

pytestmark = pytest.mark.django_db


def _tomorrow(world):
    [_today, tomorrow] = doctor_availability(
        doctor=world.clinic_a_doctor, service=world.cleaning_a, days=2
    )
    return tomorrow


def test_closing_a_day_takes_its_slots_even_when_they_were_cached(
    world, django_capture_on_commit_callbacks
):
    assert _tomorrow(world).slots  # read once: the day is cached now
    day = tomorrow_at(9).date()
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_save(actor=None, clinic=world.clinic_a, day=day, kind=DayKind.CLOSED)
    closed = _tomorrow(world)
    assert closed.slots == []
    assert not closed.working
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_delete(actor=None, clinic=world.clinic_a, day=day)
    assert _tomorrow(world).slots


def test_a_closed_day_cannot_be_booked(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_save(
            actor=None, clinic=world.clinic_a, day=tomorrow_at(9).date(), kind=DayKind.CLOSED
        )
    with pytest.raises(SlotUnavailable):
        appointments_book(
            actor=world.patient_parent,
            doctor=world.clinic_a_doctor,
            service=world.cleaning_a,
            start=tomorrow_at(10),
            patients=[world.parent],
        )
