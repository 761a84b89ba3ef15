"""The queue's pages: the patient's check-in and ticket, the console's boards and buttons."""

import pytest
import time_machine

from yachi.queueing.models import Ticket
from yachi.queueing.poster import local_day, poster_code
from yachi.queueing.tests.helpers import at_clinic, before, book
from yachi.queueing.tests.test_services import _desk_queue

pytestmark = pytest.mark.django_db


def test_the_patient_checks_in_from_the_queue_page_and_follows_the_ticket(client, world):
    appointment = book(world)
    client.force_login(world.patient_parent)
    with time_machine.travel(before(appointment, 30), tick=False):
        page = client.get("/queue/")
        assert page.status_code == 200
        assert "我已到店" in page.content.decode()
        answer = client.post(
            f"/queue/appointments/{appointment.public_id}/check-in/", at_clinic(world.clinic_a)
        )
        ticket = Ticket.objects.get(appointment=appointment)
        assert answer.status_code == 302 and str(ticket.public_id) in answer["Location"]
        page = client.get(answer["Location"]).content.decode()
        assert "A001" in page and "您是下一位" in page
        fragment = client.get(
            answer["Location"], headers={"HX-Request": "true", "HX-Target": "ticket"}
        )
        assert "<html" not in fragment.content.decode() and "A001" in fragment.content.decode()


def test_a_check_in_from_far_away_is_refused_with_the_reason(client, world):
    appointment = book(world)
    client.force_login(world.patient_parent)
    with time_machine.travel(before(appointment, 30), tick=False):
        answer = client.post(
            f"/queue/appointments/{appointment.public_id}/check-in/",
            {"latitude": "31.0", "longitude": "121.0"},
            follow=True,
        )
    assert "诊所" in answer.content.decode()
    assert not Ticket.objects.exists()


def test_the_posters_link_checks_in_with_the_days_code(client, world):
    appointment = book(world)
    client.force_login(world.patient_parent)
    now = before(appointment, 30)
    with time_machine.travel(now, tick=False):
        code = poster_code(world.clinic_a, local_day(world.clinic_a, now))
        page = client.get(f"/queue/check-in/{world.clinic_a.public_id}/?code={code}")
        assert page.status_code == 200 and appointment.service.name in page.content.decode()
        client.post(f"/queue/appointments/{appointment.public_id}/check-in/", {"clinic_code": code})
    assert Ticket.objects.get(appointment=appointment).checked_in_by == "poster"


def test_nobody_else_opens_a_patients_ticket_page(client, world):
    tickets, _now = _desk_queue(world, count=1)
    url = f"/queue/tickets/{tickets[0].public_id}/"
    client.force_login(world.patient_parent)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    from yachi.patients.privacy.consents import Kind, consent_grant, current_version

    owner = tickets[0].owner
    consent_grant(
        actor=owner,
        account=owner.family_account,
        kind=Kind.PRIVACY_POLICY,
        version=current_version(),
    )
    client.force_login(owner)
    assert client.get(url).status_code == 200


def test_the_front_desk_board_checks_in_gives_walk_ins_and_the_doctor_calls(client, world):
    appointment = book(world)
    clinic = world.clinic_a.public_id
    client.force_login(world.clinic_a_front_desk)
    with time_machine.travel(before(appointment, 20), tick=False):
        board = client.get(f"/console/clinic/{clinic}/queues/").content.decode()
        assert "排队叫号" in board and appointment.patient.name in board
        client.post(f"/console/clinic/{clinic}/queues/check-in/{appointment.public_id}/")
        client.post(
            f"/console/clinic/{clinic}/queues/walk-in/",
            {
                "phone": "13900002222",
                "name": "孙小美",
                "service": str(world.cleaning_a.public_id),
                "doctor": str(world.clinic_a_doctor.public_id),
            },
        )
        assert sorted(Ticket.objects.values_list("number", flat=True)) == ["A001", "B001"]
        board = client.get(f"/console/clinic/{clinic}/queues/").content.decode()
        assert "A001" in board and "孙小美" in board
        queue = Ticket.objects.get(number="A001").queue
        client.force_login(world.clinic_a_doctor.user)
        page = client.get(f"/console/clinic/{clinic}/queues/{queue.public_id}/").content.decode()
        assert "叫号" in page
        called = client.post(
            f"/console/clinic/{clinic}/queues/{queue.public_id}/call-next/",
            headers={"HX-Request": "true", "HX-Target": "doctor-queue"},
        )
        body = called.content.decode()
        assert called.status_code == 200 and "<html" not in body and "重呼" in body
        ticket = Ticket.objects.get(number="A001")
        assert ticket.status == "called"
        client.post(f"/console/clinic/{clinic}/queue-tickets/{ticket.public_id}/start/")
        client.post(f"/console/clinic/{clinic}/queue-tickets/{ticket.public_id}/finish/")
        ticket.refresh_from_db()
        assert ticket.status == "finished"
        summary = client.get(f"/console/clinic/{clinic}/queues/summary/").content.decode()
        assert world.clinic_a_doctor.name in summary


def test_the_poster_and_the_help_page(client, world):
    client.force_login(world.clinic_a_front_desk)
    poster = client.get(
        f"/console/clinic/{world.clinic_a.public_id}/queues/poster/"
    ).content.decode()
    assert "<svg" in poster and poster_code(world.clinic_a, local_day(world.clinic_a)) in poster
    help_page = client.get("/console/queues/help/").content.decode()
    assert "急诊优先" in help_page or "急诊" in help_page


def test_queue_pages_ask_for_the_right_login(client, world):
    tickets, _now = _desk_queue(world, count=1)
    clinic = world.clinic_a.public_id
    console = [
        f"/console/clinic/{clinic}/queues/",
        f"/console/clinic/{clinic}/queues/{tickets[0].queue.public_id}/",
        f"/console/clinic/{clinic}/queues/summary/",
        "/console/queues/help/",
    ]
    for url in console:
        assert client.get(url).status_code == 302, url
    client.force_login(world.patient_parent)
    for url in console:
        assert client.get(url).status_code == 403, url
    client.force_login(world.clinic_a_front_desk)
    assert client.get("/queue/").status_code == 403
    assert client.get(f"/console/clinic/{world.clinic_b.public_id}/queues/").status_code == 404
    called = client.post(
        f"/console/clinic/{world.clinic_b.public_id}/queues/{tickets[0].queue.public_id}/call-next/"
    )
    assert called.status_code == 404
    assert Ticket.objects.get(pk=tickets[0].pk).status == "waiting"
