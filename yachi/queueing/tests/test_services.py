"""Check-in, calling and the ticket's life, against the database."""

from datetime import timedelta

import pytest

from yachi.booking.models import Appointment
from yachi.compliance.models import AuditEntry
from yachi.messaging.models import Notification
from yachi.queueing import log, selectors, services
from yachi.queueing.errors import (
    AlreadyCheckedIn,
    NotAtClinic,
    NotCheckable,
    QueueEmpty,
    TooEarly,
)
from yachi.queueing.models import QueueEvent, Ticket
from yachi.queueing.poster import local_day, poster_code
from yachi.queueing.tests.helpers import at_clinic, before, book

pytestmark = pytest.mark.django_db


def test_a_patient_checks_in_at_the_clinic_and_the_appointment_is_arrived(world):
    appointment = book(world)
    now = before(appointment, 20)
    ticket = services.check_in(
        actor=world.patient_parent, appointment=appointment, now=now, **at_clinic(world.clinic_a)
    )
    assert ticket.number == "A001"
    assert ticket.status == "waiting" and ticket.kind == "appointment"
    assert ticket.masked_name == "张*妈"
    assert ticket.room == appointment.chair.name
    appointment.refresh_from_db()
    assert appointment.status == "arrived" and appointment.arrived_at == now
    event = QueueEvent.objects.get(ticket=ticket)
    assert event.seq == 1 and event.type == "checked_in"
    assert event.body["ticket"]["patient"] == "张*妈"
    assert "张妈妈" not in str(event.body)


def test_check_in_opens_an_hour_before_and_only_at_the_clinic(world):
    appointment = book(world)
    with pytest.raises(TooEarly):
        services.check_in(
            actor=world.patient_parent,
            appointment=appointment,
            now=before(appointment, 61),
            **at_clinic(world.clinic_a),
        )
    far = {
        "latitude": float(world.clinic_a.latitude) + 0.01,
        "longitude": float(world.clinic_a.longitude),
    }
    with pytest.raises(NotAtClinic):
        services.check_in(
            actor=world.patient_parent, appointment=appointment, now=before(appointment, 30), **far
        )
    with pytest.raises(NotAtClinic):
        services.check_in(
            actor=world.patient_parent,
            appointment=appointment,
            now=before(appointment, 30),
            clinic_code="000000"
            if poster_code(world.clinic_a, local_day(world.clinic_a, before(appointment, 30)))
            != "000000"
            else "111111",
        )
    assert not Ticket.objects.exists()
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"


def test_the_posters_code_checks_in_and_changes_every_day(world):
    appointment = book(world)
    now = before(appointment, 30)
    today = local_day(world.clinic_a, now)
    assert poster_code(world.clinic_a, today) != poster_code(
        world.clinic_a, today + timedelta(days=1)
    )
    assert poster_code(world.clinic_a, today) != poster_code(world.clinic_b, today)
    ticket = services.check_in(
        actor=world.patient_parent,
        appointment=appointment,
        now=now,
        clinic_code=poster_code(world.clinic_a, today),
    )
    assert ticket.checked_in_by == "poster"


def test_checking_in_twice_is_refused(world):
    appointment = book(world)
    now = before(appointment, 10)
    services.check_in(
        actor=world.patient_parent, appointment=appointment, now=now, **at_clinic(world.clinic_a)
    )
    appointment.refresh_from_db()
    with pytest.raises(AlreadyCheckedIn):
        services.check_in_at_desk(actor=world.clinic_a_front_desk, appointment=appointment, now=now)
    assert Ticket.objects.count() == 1


def test_a_video_consultation_is_not_checked_in_at_the_clinic(world):
    from yachi.messaging.tests.video.conftest import consultation, make_video_service

    appointment = consultation(world, make_video_service(world))
    now = before(appointment, 2)
    for attempt in (
        lambda: services.check_in(
            actor=world.patient_parent,
            appointment=appointment,
            now=now,
            **at_clinic(world.clinic_a),
        ),
        lambda: services.check_in_at_desk(
            actor=world.clinic_a_front_desk, appointment=appointment, now=now
        ),
    ):
        with pytest.raises(NotCheckable) as refused:
            attempt()
        assert refused.value.code == "video_consultation"
    assert not Ticket.objects.exists()


def test_numbers_count_per_clinic_day_and_kind(world):
    first = book(world, hour=10)
    second = book(world, hour=11, patient=world.patient_child)
    now = before(first, 30)
    a1 = services.check_in_at_desk(actor=world.clinic_a_front_desk, appointment=first, now=now)
    b1 = services.walk_in(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        phone="13900000011",
        service=world.cleaning_a,
        now=now,
    )
    a2 = services.check_in_at_desk(
        actor=world.clinic_a_front_desk, appointment=second, now=now + timedelta(minutes=1)
    )
    b2 = services.walk_in(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        phone="13900000012",
        service=world.cleaning_a,
        now=now,
    )
    assert [a1.number, b1.number, a2.number, b2.number] == ["A001", "B001", "A002", "B002"]
    assert AuditEntry.objects.filter(action="queue_ticket_changed").count() == 4


def _desk_queue(world, count=3):
    """``count`` walk-ins in the same doctor's queue, a minute apart."""
    start = book(world, hour=10)
    now = before(start, 60)
    tickets = [
        services.walk_in(
            actor=world.clinic_a_front_desk,
            clinic=world.clinic_a,
            phone=f"1390000{i:04d}",
            service=world.cleaning_a,
            doctor=world.clinic_a_doctor,
            now=now + timedelta(minutes=i),
        )
        for i in range(count)
    ]
    return tickets, now + timedelta(minutes=count)


def test_call_next_calls_in_order_and_the_log_numbers_every_step(world):
    tickets, now = _desk_queue(world)
    queue = tickets[0].queue
    called = [
        services.call_next(actor=world.clinic_a_front_desk, queue=queue, now=now) for _ in tickets
    ]
    assert [t.pk for t in called] == [t.pk for t in tickets]
    assert all(t.status == "called" and t.call_count == 1 and t.room for t in called)
    with pytest.raises(QueueEmpty):
        services.call_next(actor=world.clinic_a_front_desk, queue=queue, now=now)
    seqs = list(
        QueueEvent.objects.filter(clinic=world.clinic_a).order_by("seq").values_list("seq", "type")
    )
    assert [s for s, _ in seqs] == list(range(1, 7))
    assert [t for _, t in seqs] == ["checked_in"] * 3 + ["called"] * 3
    events = log.events_after(world.clinic_a.pk, 3)
    assert events[0]["type"] == "called" and events[0]["room"] == called[0].room
    assert events[0]["ticket"]["number"] == "B001"


def test_a_called_patient_hears_it_and_one_two_places_away_too(world):
    tickets, now = _desk_queue(world, count=4)
    services.call_next(actor=world.clinic_a_front_desk, queue=tickets[0].queue, now=now)
    kinds = set(Notification.objects.filter(channel="inbox").values_list("kind", "recipient_id"))
    assert ("queue_called", tickets[0].owner_id) in kinds
    # B004 is now third in line: two ahead of it.
    assert ("queue_near", tickets[3].owner_id) in kinds


def test_skip_puts_the_patient_back_behind_two_and_three_calls_make_a_no_show(world):
    appointment = book(world, hour=9)
    now = before(appointment, 30)
    mine = services.check_in_at_desk(
        actor=world.clinic_a_front_desk, appointment=appointment, now=now
    )
    _others, now = _desk_queue(world, count=3)
    desk = world.clinic_a_front_desk
    queue = mine.queue
    assert services.call_next(actor=desk, queue=queue, now=now).pk == mine.pk
    services.skip(actor=desk, ticket=mine, now=now)
    line = [p.ticket.pk for p in selectors.line(queue, now=now)]
    assert line.index(mine.pk) == 2
    services.call_next(actor=desk, queue=queue, now=now)
    services.call_next(actor=desk, queue=queue, now=now)
    assert services.call_next(actor=desk, queue=queue, now=now).pk == mine.pk
    services.recall(actor=desk, ticket=mine, now=now)
    mine.refresh_from_db()
    assert mine.call_count == 3
    skipped = services.skip(actor=desk, ticket=mine, now=now)
    skipped.refresh_from_db()
    assert skipped.status == "no_show"
    assert Appointment.objects.get(pk=appointment.pk).status == "no_show"
    types = list(
        QueueEvent.objects.filter(ticket=mine).order_by("seq").values_list("type", flat=True)
    )
    assert types == ["checked_in", "called", "skipped", "called", "recalled", "no_show"]


def test_start_and_finish_move_the_appointment_too(world):
    appointment = book(world)
    now = before(appointment, 5)
    ticket = services.check_in_at_desk(
        actor=world.clinic_a_front_desk, appointment=appointment, now=now
    )
    doctor = world.clinic_a_doctor.user
    services.call_next(actor=doctor, queue=ticket.queue, now=now)
    services.start(actor=doctor, ticket=ticket, now=now + timedelta(minutes=2))
    assert Appointment.objects.get(pk=appointment.pk).status == "in_treatment"
    services.finish(actor=doctor, ticket=ticket, now=now + timedelta(minutes=40))
    ticket.refresh_from_db()
    assert ticket.status == "finished"
    assert Appointment.objects.get(pk=appointment.pk).status == "completed"


def test_move_needs_a_reason_and_is_audited(world):
    tickets, now = _desk_queue(world)
    desk = world.clinic_a_front_desk
    with pytest.raises(Exception) as refused:
        services.move(actor=desk, ticket=tickets[2], before=tickets[0], reason=" ", now=now)
    assert refused.value.code == "reason_required"
    services.move(
        actor=desk, ticket=tickets[2], before=tickets[0], reason="孕妇，不宜久等", now=now
    )
    assert [p.ticket.pk for p in selectors.line(tickets[0].queue, now=now)] == [
        tickets[2].pk,
        tickets[0].pk,
        tickets[1].pk,
    ]
    entry = AuditEntry.objects.filter(action="queue_ticket_changed", details__step="move").get()
    assert entry.details["reason"] == "孕妇，不宜久等"


def test_transfer_takes_the_ticket_to_the_other_doctors_queue(world):
    tickets, now = _desk_queue(world)
    other = services.transfer(
        actor=world.clinic_a_front_desk,
        ticket=tickets[0],
        doctor=world.clinic_a_implant_doctor,
        now=now,
    )
    other.refresh_from_db()
    assert other.queue.doctor_id == world.clinic_a_implant_doctor.pk
    assert other.number == tickets[0].number
    event = QueueEvent.objects.filter(type="transferred").get()
    assert event.body["from_queue_id"] == str(tickets[0].queue.public_id)
    assert [p.ticket.pk for p in selectors.line(tickets[0].queue, now=now)] == [
        tickets[1].pk,
        tickets[2].pk,
    ]


def test_staff_of_another_clinic_cannot_call(world):
    tickets, now = _desk_queue(world, count=1)
    with pytest.raises(Exception) as refused:
        services.call_next(actor=world.clinic_b_front_desk, queue=tickets[0].queue, now=now)
    assert refused.value.code == "see_forbidden"
    assert Ticket.objects.get(pk=tickets[0].pk).status == "waiting"


def test_an_emergency_appointment_gets_an_e_ticket_first_in_line(world):
    _tickets, now = _desk_queue(world, count=2)
    appointment = book(world, hour=11)
    Appointment.objects.filter(pk=appointment.pk).update(channel="emergency")
    appointment.refresh_from_db()
    ticket = services.check_in_at_desk(
        actor=world.clinic_a_front_desk, appointment=appointment, now=now
    )
    assert ticket.number == "E001" and ticket.kind == "emergency"
    assert selectors.line(ticket.queue, now=now)[0].ticket.pk == ticket.pk


def test_the_wait_counts_the_services_ahead(world):
    tickets, now = _desk_queue(world, count=3)
    places = selectors.line(tickets[0].queue, now=now)
    assert [p.position for p in places] == [1, 2, 3]
    assert [p.wait_minutes for p in places] == [0, 30, 60]


def test_the_days_summary(world):
    tickets, now = _desk_queue(world, count=2)
    desk = world.clinic_a_front_desk
    services.call_next(actor=desk, queue=tickets[0].queue, now=now + timedelta(minutes=10))
    [row] = selectors.day_summary(
        clinic=world.clinic_a, day=tickets[0].day, now=now + timedelta(minutes=19)
    )
    assert row.patients == 2 and row.no_shows == 0
    # B001 came at 0 and was called at 12; B002 came at 1 and is still waiting at 21.
    assert row.longest_wait_minutes == 20 and row.average_wait_minutes == 16
