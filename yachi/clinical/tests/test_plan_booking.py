"""Booking an appointment straight from a procedure of an accepted treatment plan, in the
app and at the desk; the visit completed, the procedure is done, billed and charted."""

from datetime import datetime

import pytest
import time_machine

from conftest import tomorrow_at
from tests.apiclient import ApiClient
from yachi.booking.models import Appointment
from yachi.booking.services import appointment_advance, appointment_cancel
from yachi.clinical.models import ChartEntry, PlanItem, TreatmentPlan
from yachi.compliance.models import AuditEntry
from yachi.payments.models import Bill

pytestmark = pytest.mark.django_db(transaction=True)


def _item(plan):
    return PlanItem.objects.get(phase__plan=plan)


def _times(user, plan):
    item = _item(plan)
    return (
        ApiClient()
        .as_user(user)
        .get(f"/treatment-plans/{plan.public_id}/items/{item.public_id}/times")
    )


def _book(user, plan, start):
    item = _item(plan)
    return (
        ApiClient()
        .as_user(user)
        .post(
            f"/treatment-plans/{plan.public_id}/items/{item.public_id}/appointment",
            {"start": start.isoformat()},
        )
    )


def _first_start(user, plan, *, after=None):
    days = _times(user, plan).json()["days"]
    starts = [s for day in days for s in day["starts"]]
    return next(s for s in starts if after is None or s > after)


def test_the_parent_books_the_filling_in_the_app_with_the_plans_doctor(client, world, accepted):
    item = _item(accepted)
    client.force_login(world.patient_parent)
    page = client.get(f"/treatment-plans/{accepted.public_id}/items/{item.public_id}/book/")
    assert page.status_code == 200 and "王医生" in page.content.decode()
    start = tomorrow_at(14)
    chosen = client.get(
        f"/treatment-plans/{accepted.public_id}/items/{item.public_id}/book/",
        {"day": start.date().isoformat(), "start": start.isoformat()},
    )
    assert 'data-testid="plan-booking-confirm"' in chosen.content.decode()
    booked = client.post(
        f"/treatment-plans/{accepted.public_id}/items/{item.public_id}/book/",
        {"start": start.isoformat()},
    )
    appointment = Appointment.objects.get(service__code="filling")
    assert booked.status_code == 302 and booked["Location"].endswith(
        f"/appointments/{appointment.public_id}/"
    )
    assert appointment.doctor == world.clinic_a_doctor and appointment.patient == world.parent
    assert appointment.start == start and appointment.channel == "patient_app"
    item.refresh_from_db()
    assert item.status == "scheduled" and item.appointment == appointment
    assert TreatmentPlan.objects.get(pk=accepted.pk).status == "in_progress"
    assert AuditEntry.objects.filter(
        action="treatment_plan_changed", details__change="item_booked"
    ).exists()


def test_the_desk_books_over_the_api_and_the_completed_visit_completes_the_procedure(
    world, accepted
):
    desk = world.clinic_a_front_desk
    times = _times(desk, accepted)
    assert times.status_code == 200
    body = times.json()
    assert body["service"] == "filling" and body["doctor"] == str(world.clinic_a_doctor.public_id)
    start = _first_start(desk, accepted, after=tomorrow_at(9).isoformat())
    booked = _book(desk, accepted, datetime.fromisoformat(start))
    assert booked.status_code == 201, booked.json()
    assert booked.json()["item_status"] == "scheduled"
    appointment = Appointment.objects.get(public_id=booked.json()["appointment"])
    with time_machine.travel(appointment.start):
        for step in ("arrived", "in_treatment", "completed"):
            appointment = appointment_advance(actor=desk, appointment=appointment, to_status=step)
    item = _item(accepted)
    assert item.status == "done" and item.done_by == world.clinic_a_doctor
    bill = Bill.objects.get()
    assert bill.appointment_id == appointment.pk and bill.list_fen == item.unit_fen
    assert list(ChartEntry.objects.filter(tooth="16").values_list("kind", flat=True)) == [
        "caries",
        "filling",
    ]
    assert TreatmentPlan.objects.get(pk=accepted.pk).status == "completed"
    assert AuditEntry.objects.filter(
        action="treatment_plan_changed", details__change="item_done", actor_id=desk.pk
    ).exists()


def test_a_cancelled_visit_puts_the_procedure_back_to_be_booked(world, accepted):
    booked = _book(world.patient_parent, accepted, tomorrow_at(15))
    assert booked.status_code == 201
    appointment = Appointment.objects.get(public_id=booked.json()["appointment"])
    appointment_cancel(actor=world.clinic_a_front_desk, appointment=appointment)
    item = _item(accepted)
    assert item.status == "planned" and item.appointment is None
    assert _book(world.patient_parent, accepted, tomorrow_at(16)).status_code == 201


def test_a_procedure_is_booked_once(world, accepted):
    assert _book(world.patient_parent, accepted, tomorrow_at(15)).status_code == 201
    again = _book(world.patient_parent, accepted, tomorrow_at(16))
    assert again.status_code == 409 and again.json()["code"] == "item_already_booked"
    assert Appointment.objects.filter(service__code="filling").count() == 1


def test_a_plan_not_yet_accepted_cannot_be_booked_from(world, plan):
    answer = _book(world.patient_parent, plan, tomorrow_at(15))
    assert answer.status_code == 409 and answer.json()["code"] == "plan_not_accepted"
    assert _times(world.clinic_a_front_desk, plan).status_code == 409
    assert not Appointment.objects.filter(service__code="filling").exists()


@pytest.mark.parametrize("who", ["other_patient", "clinic_b_front_desk"])
def test_strangers_find_no_plan_to_book_from(world, accepted, who):
    user = getattr(world, who)
    assert _times(user, accepted).status_code == 404
    answer = _book(user, accepted, tomorrow_at(15))
    assert answer.status_code == 404 and answer.json()["code"] == "plan_not_found"
    assert _item(accepted).status == "planned"


def test_a_time_already_taken_is_refused_and_nothing_changes(world, accepted, seen):
    answer = _book(world.patient_parent, accepted, seen.start)  # the mother's own cleaning
    assert answer.status_code in (409, 422)
    assert _item(accepted).status == "planned"
    assert not Appointment.objects.filter(service__code="filling").exists()
