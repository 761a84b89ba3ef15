"""A booking answers before its messages are planned: a job plans the confirmation and
both reminders after the commit, each at most once, and never for a visit cancelled
before the job ran."""

from datetime import timedelta

import pytest
from huey.contrib.djhuey import HUEY

from conftest import tomorrow_at
from yachi.booking.services import appointment_cancel, appointment_reschedule, appointments_book
from yachi.booking.tasks import plan_booking_messages_job
from yachi.booking.tests.test_booking_api import booking
from yachi.messaging.choices import Status
from yachi.messaging.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued():
    """Jobs wait in the queue, as with a job consumer, instead of running inline."""
    HUEY.flush()
    HUEY.immediate = False
    yield
    HUEY.flush()
    HUEY.immediate = True


def run_queued() -> list:
    """Run what waits in the queue, as the consumer would (in the test's transaction);
    the answers of the planning jobs."""
    tasks = []
    while (task := HUEY.dequeue()) is not None:
        tasks.append(task)
    HUEY.immediate = True  # the consumer's connection handling would close the test's
    try:
        results = [(task.name, task.execute()) for task in tasks]
    finally:
        HUEY.immediate = False
    return [result for name, result in results if name.endswith("plan_booking_messages_job")]


def book(world, start, patients=None):
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=start,
        patients=patients or [world.patient_child],
    ).appointments


def messages(appointment, status=Status.SCHEDULED):
    return Notification.objects.filter(object_id=str(appointment.public_id), status=status)


def test_a_booking_answers_before_its_messages_are_planned(
    world, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (appointment,) = book(world, tomorrow_at(10, days=3))
    assert not Notification.objects.exists()
    assert run_queued() == [True]
    kinds = set(messages(appointment).values_list("kind", flat=True))
    assert kinds == {"appointment_booked", "appointment_reminder"}
    assert Notification.objects.filter(kind="appointment_reminder", channel="inbox").count() == 2


def test_planning_twice_asks_for_each_message_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (appointment,) = book(world, tomorrow_at(10, days=3))
    before = Notification.objects.count()
    assert plan_booking_messages_job.call_local(appointment.pk, [appointment.pk]) is True
    assert Notification.objects.count() == before
    assert not messages(appointment, Status.SKIPPED).exists()


def test_a_visit_cancelled_before_the_job_ran_hears_nothing(
    world, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (appointment,) = book(world, tomorrow_at(10, days=3))
        appointment_cancel(actor=world.patient_parent, appointment=appointment)
    assert run_queued() == [False]
    assert not Notification.objects.filter(object_id=str(appointment.public_id)).exists()


def test_a_visit_cancelled_after_the_job_ran_has_its_messages_dropped(
    world, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (appointment,) = book(world, tomorrow_at(10, days=3))
    run_queued()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(actor=world.patient_parent, appointment=appointment)
    assert not messages(appointment).exists()


def test_a_visit_moved_before_the_job_ran_keeps_the_reminders_of_its_new_time(
    world, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (appointment,) = book(world, tomorrow_at(10, days=3))
    with django_capture_on_commit_callbacks(execute=True):
        appointment_reschedule(
            actor=world.patient_parent, appointment=appointment, start=tomorrow_at(15, days=3)
        )
    run_queued()
    reminders = messages(appointment).filter(kind="appointment_reminder")
    assert {n.scheduled_for for n in reminders} == {
        tomorrow_at(15, days=2),
        tomorrow_at(15, days=3) - timedelta(hours=2),
    }
    [confirmation] = messages(appointment).filter(kind="appointment_booked", channel="inbox")
    assert "15:00" in confirmation.params["time"]


def test_a_family_booked_back_to_back_gets_one_confirmation(
    world, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, second = book(world, tomorrow_at(10, days=3), [world.parent, world.patient_child])
    assert first.start < second.start
    assert run_queued() == [True, True]
    confirmations = Notification.objects.filter(kind="appointment_booked", channel="inbox")
    assert confirmations.count() == 1
    assert messages(second).filter(kind="appointment_reminder").count() >= 2


def test_a_booking_makes_few_queries(api, world, queued, django_assert_max_num_queries):
    api.as_user(world.patient_parent)
    api.get("/me")
    with django_assert_max_num_queries(22):
        response = api.post("/appointments", booking(world, tomorrow_at(10)))
    assert response.status_code == 201
