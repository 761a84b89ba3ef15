"""The queue's API, exactly as the contract names it."""

import pytest
import time_machine

from tests.apiclient import ApiClient
from yachi.booking.models import Appointment
from yachi.queueing.models import QueueEvent, Ticket
from yachi.queueing.poster import local_day, poster_code
from yachi.queueing.tests.helpers import at_clinic, before, book

pytestmark = pytest.mark.django_db


def client(user):
    return ApiClient().as_user(user)


def test_check_in_by_location_gives_the_ticket_and_its_place(world):
    appointment = book(world)
    with time_machine.travel(before(appointment, 30), tick=False):
        answer = client(world.patient_parent).post(
            f"/appointments/{appointment.public_id}/check-in", at_clinic(world.clinic_a)
        )
        assert answer.status_code == 201, answer.content
        ticket = answer.json()
        assert set(ticket) >= {
            "id",
            "number",
            "queue_id",
            "status",
            "position",
            "estimated_wait_minutes",
        }
        assert ticket["number"] == "A001" and ticket["status"] == "waiting"
        assert ticket["position"] == 1 and ticket["estimated_wait_minutes"] == 0
        again = client(world.patient_parent).get(f"/queue-tickets/{ticket['id']}")
        assert again.status_code == 200 and again.json()["id"] == ticket["id"]
        twice = client(world.patient_parent).post(
            f"/appointments/{appointment.public_id}/check-in", at_clinic(world.clinic_a)
        )
        assert twice.status_code == 409 and twice.json()["code"] == "already_checked_in"


def test_check_in_refusals_are_409_with_their_codes_and_change_nothing(world):
    appointment = book(world)
    url = f"/appointments/{appointment.public_id}/check-in"
    patient = client(world.patient_parent)
    with time_machine.travel(before(appointment, 90), tick=False):
        early = patient.post(url, at_clinic(world.clinic_a))
        assert (early.status_code, early.json()["code"]) == (409, "too_early")
    with time_machine.travel(before(appointment, 30), tick=False):
        far = patient.post(url, {"latitude": 31.0, "longitude": 121.0})
        assert (far.status_code, far.json()["code"]) == (409, "not_at_clinic")
        wrong = patient.post(url, {"clinic_code": "12345x"})
        assert (wrong.status_code, wrong.json()["code"]) == (409, "not_at_clinic")
        empty = patient.post(url, {})
        assert empty.status_code == 422
        off_earth = patient.post(url, {"latitude": 123, "longitude": 0})
        assert off_earth.status_code == 422
    assert not Ticket.objects.exists()
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"


def test_check_in_with_the_posters_code(world):
    appointment = book(world)
    now = before(appointment, 45)
    with time_machine.travel(now, tick=False):
        code = poster_code(world.clinic_a, local_day(world.clinic_a, now))
        answer = client(world.patient_parent).post(
            f"/appointments/{appointment.public_id}/check-in", {"clinic_code": code}
        )
    assert answer.status_code == 201


def test_someone_elses_ticket_is_not_found(world):
    appointment = book(world)
    with time_machine.travel(before(appointment, 30), tick=False):
        ticket = (
            client(world.patient_parent)
            .post(f"/appointments/{appointment.public_id}/check-in", at_clinic(world.clinic_a))
            .json()
        )
        for stranger in (world.other_patient, world.clinic_b_front_desk, world.clinic_a_front_desk):
            answer = client(stranger).get(f"/queue-tickets/{ticket['id']}")
            assert answer.status_code == 404, stranger
        theirs = client(world.other_patient).post(
            f"/appointments/{appointment.public_id}/check-in", at_clinic(world.clinic_a)
        )
        assert theirs.status_code == 404
        assert client(world.patient_parent).get("/queue-tickets/not-a-uuid").status_code == 404


def test_walk_ins_call_next_and_the_queue_read(world):
    desk = client(world.clinic_a_front_desk)
    appointment = book(world)
    with time_machine.travel(before(appointment, 30), tick=False):
        first = desk.post(
            f"/clinics/{world.clinic_a.public_id}/walk-ins",
            {
                "phone": "13900001111",
                "service_id": str(world.cleaning_a.public_id),
                "doctor_id": str(world.clinic_a_doctor.public_id),
            },
        )
        assert first.status_code == 201, first.content
        assert first.json()["number"] == "B001"
        queue_id = first.json()["queue_id"]
        second = desk.post(
            f"/clinics/{world.clinic_a.public_id}/walk-ins",
            {
                "phone": "13900001112",
                "service_id": str(world.cleaning_a.public_id),
                "doctor_id": str(world.clinic_a_doctor.public_id),
            },
        ).json()
        line = desk.get(f"/queues/{queue_id}").json()
        assert [t["number"] for t in line["waiting"]] == ["B001", "B002"]
        assert [t["position"] for t in line["waiting"]] == [1, 2]
        called = desk.post(f"/queues/{queue_id}/call-next")
        assert called.status_code == 200 and called.json()["number"] == "B001"
        assert called.json()["status"] == "called" and called.json()["room"]
        recall = desk.post(f"/queue-tickets/{called.json()['id']}/recall")
        assert recall.status_code == 200
        start = desk.post(f"/queue-tickets/{called.json()['id']}/start")
        assert start.json()["status"] == "in_treatment"
        finish = desk.post(f"/queue-tickets/{called.json()['id']}/finish")
        assert finish.json()["status"] == "finished"
        moved = desk.post(f"/queue-tickets/{second['id']}/move", {"reason": ""})
        assert moved.status_code == 422
        transferred = desk.post(
            f"/queue-tickets/{second['id']}/transfer",
            {"doctor_id": str(world.clinic_a_implant_doctor.public_id)},
        )
        assert transferred.status_code == 200 and transferred.json()["queue_id"] != queue_id
        empty = desk.post(f"/queues/{queue_id}/call-next")
        assert (empty.status_code, empty.json()["code"]) == (409, "queue_empty")


def test_another_clinics_staff_and_patients_cannot_reach_a_queue(world):
    desk = client(world.clinic_a_front_desk)
    appointment = book(world)
    with time_machine.travel(before(appointment, 30), tick=False):
        ticket = desk.post(
            f"/clinics/{world.clinic_a.public_id}/walk-ins",
            {"phone": "13900001111", "service_id": str(world.cleaning_a.public_id)},
        ).json()
        events = QueueEvent.objects.count()
        for stranger in (world.clinic_b_front_desk, world.patient_parent):
            other = client(stranger)
            assert other.get(f"/queues/{ticket['queue_id']}").status_code == 404
            assert other.post(f"/queues/{ticket['queue_id']}/call-next").status_code == 404
            assert other.post(f"/queue-tickets/{ticket['id']}/skip").status_code == 404
            walk = other.post(
                f"/clinics/{world.clinic_a.public_id}/walk-ins",
                {"phone": "13900001113", "service_id": str(world.cleaning_a.public_id)},
            )
            assert walk.status_code == 404
        assert QueueEvent.objects.count() == events
        assert Ticket.objects.get(public_id=ticket["id"]).status == "waiting"


def test_the_ticket_events_of_its_owner(world):
    appointment = book(world)
    with time_machine.travel(before(appointment, 30), tick=False):
        mine = (
            client(world.patient_parent)
            .post(f"/appointments/{appointment.public_id}/check-in", at_clinic(world.clinic_a))
            .json()
        )
        desk = client(world.clinic_a_front_desk)
        desk.post(f"/queues/{mine['queue_id']}/call-next", {"room": "3号诊室"})
        events = client(world.patient_parent).get(f"/queue-tickets/{mine['id']}/events").json()
    assert [e["type"] for e in events["events"]] == ["checked_in", "called"]
    assert events["events"][1]["room"] == "3号诊室"
    assert events["events"][1]["ticket"]["status"] == "called"
    assert events["last_seq"] == events["events"][1]["seq"]
