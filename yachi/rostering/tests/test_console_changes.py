"""Managers change rosters in the console: whom a change would leave without their
doctor is shown first, and the change waits for the manager's confirmation."""

from datetime import time

import pytest

from conftest import tomorrow_at
from yachi.booking.services import appointments_book
from yachi.compliance.models import AuditEntry
from yachi.core.errors import PermissionDenied
from yachi.rostering.changes import OrphansAppointments, exception_add, weekly_shift_remove
from yachi.rostering.choices import ExceptionKind
from yachi.rostering.models import ShiftException, WeeklyShift

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(world):
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]


def _leave(world, start=None, end=None):
    return ShiftException(
        doctor=world.clinic_a_doctor,
        date=tomorrow_at(10).date(),
        kind=ExceptionKind.LEAVE,
        start_time=start,
        end_time=end,
    )


def test_leave_over_a_booked_visit_waits_for_confirmation(world, booked):
    with pytest.raises(OrphansAppointments) as caught:
        exception_add(actor=world.clinic_a_manager, clinic=world.clinic_a, exception=_leave(world))
    [visit] = caught.value.visits
    assert (visit.start, visit.patient) == (booked.start, booked.patient.display_name)
    assert caught.value.status == 409 and caught.value.code == "orphans_appointments"
    assert not ShiftException.objects.exists()
    assert not AuditEntry.objects.filter(action="roster_changed").exists()

    exception_add(
        actor=world.clinic_a_manager, clinic=world.clinic_a, exception=_leave(world), confirm=True
    )
    assert ShiftException.objects.count() == 1
    [entry] = AuditEntry.objects.filter(action="roster_changed")
    assert entry.actor_id == world.clinic_a_manager.pk
    assert entry.details["visits_touched"] == 1 and entry.details["change"] == "leave_added"


def test_leave_that_misses_every_visit_is_saved_at_once(world, booked):
    exception_add(
        actor=world.clinic_a_manager,
        clinic=world.clinic_a,
        exception=_leave(world, time(15), time(17)),
    )
    assert ShiftException.objects.count() == 1


def test_removing_the_weekly_morning_names_the_visit_in_it(world, booked):
    morning = WeeklyShift.objects.get(
        doctor=world.clinic_a_doctor, weekday=booked.start.weekday(), start_time=time(9)
    )
    with pytest.raises(OrphansAppointments) as caught:
        weekly_shift_remove(actor=world.clinic_a_manager, clinic=world.clinic_a, shift=morning)
    assert len(caught.value.visits) == 1
    assert WeeklyShift.objects.filter(pk=morning.pk).exists()


def test_only_managers_change_rosters(world):
    with pytest.raises(PermissionDenied):
        exception_add(
            actor=world.clinic_a_front_desk, clinic=world.clinic_a, exception=_leave(world)
        )
    assert not ShiftException.objects.exists()
