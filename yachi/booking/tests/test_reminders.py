"""Reminders 24 h and 2 h before, and the links in them that work without logging in."""

from datetime import timedelta

import pytest
import time_machine

from conftest import tomorrow_at
from yachi.booking.models import Appointment
from yachi.booking.reminders.services import link_token
from yachi.booking.services import appointment_cancel, appointment_reschedule, appointments_book
from yachi.messaging.choices import Status
from yachi.messaging.models import Notification
from yachi.messaging.providers.local import MemoryProvider
from yachi.messaging.services import dispatch_due

pytestmark = pytest.mark.django_db(transaction=True)


def book(world, start):
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=start,
        patients=[world.patient_child],
    ).appointments[0]


def reminders(appointment, status=Status.SCHEDULED):
    return Notification.objects.filter(
        kind="appointment_reminder", object_id=str(appointment.public_id), status=status
    )


def test_a_booking_plans_two_reminders_for_the_account_holder(world):
    start = tomorrow_at(10, days=3)
    appointment = book(world, start)
    planned = reminders(appointment)
    assert {n.scheduled_for for n in planned} == {
        start - timedelta(hours=24),
        start - timedelta(hours=2),
    }
    assert {n.recipient for n in planned} == {world.patient_parent}
    assert Notification.objects.filter(kind="appointment_booked", channel="inbox").count() == 1


def test_reminders_go_out_on_time_with_a_link(world):
    start = tomorrow_at(10, days=3)
    book(world, start)
    MemoryProvider.outbox.clear()
    with time_machine.travel(start - timedelta(hours=24) + timedelta(seconds=5)):
        dispatch_due()
    texts = [m.text for m in MemoryProvider.outbox if m.template == "appointment_reminder"]
    assert len(texts) == 1
    assert "张小宝" in texts[0] and "/s/" in texts[0] and "/a/" not in texts[0]


def test_the_short_link_opens_the_visit_until_it_starts(client, world):
    start = tomorrow_at(10, days=3)
    book(world, start)
    [confirmation] = sms_of("appointment_booked")
    short = "/s/" + confirmation.text.rsplit("/s/", 1)[1]
    assert len(short) == len("/s/") + 8
    page = client.get(short, follow=True)
    assert page.status_code == 200 and "张小宝" in page.content.decode()
    with time_machine.travel(start + timedelta(minutes=1)):
        assert client.get(short).status_code == 404


def test_rescheduling_replans_and_cancelling_drops_them(world):
    appointment = book(world, tomorrow_at(10, days=3))
    appointment_reschedule(
        actor=world.patient_parent, appointment=appointment, start=tomorrow_at(15, days=3)
    )
    assert reminders(appointment, Status.SKIPPED).count() == 4  # two per channel, old time
    assert {n.scheduled_for for n in reminders(appointment)} == {
        tomorrow_at(15, days=2),
        tomorrow_at(13, days=3),
    }
    appointment_cancel(
        actor=world.patient_parent, appointment=Appointment.objects.get(pk=appointment.pk)
    )
    assert not reminders(appointment).exists()


def test_a_reschedule_is_confirmed_with_the_new_time_and_the_old_one(world):
    appointment = book(world, tomorrow_at(10, days=3))
    appointment_reschedule(
        actor=world.clinic_a_front_desk, appointment=appointment, start=tomorrow_at(15, days=3)
    )
    sent = Notification.objects.filter(
        kind="appointment_rescheduled", object_id=str(appointment.public_id)
    )
    assert {n.channel for n in sent} == {"sms", "inbox"}
    assert {n.recipient for n in sent} == {world.patient_parent}
    text = MemoryProvider.outbox[-1].text
    assert "15:00" in text and "10:00" in text and "张小宝" in text
    # Moved again: a confirmation of that time too, never twice for the same one.
    appointment.refresh_from_db()
    appointment_reschedule(
        actor=world.patient_parent, appointment=appointment, start=tomorrow_at(16, days=3)
    )
    assert sent.all().count() == 4


def test_the_link_confirms_without_logging_in(client, world):
    appointment = book(world, tomorrow_at(10, days=3))
    url = f"/a/{link_token(appointment)}/"
    page = client.get(url)
    assert page.status_code == 200 and "张小宝" in page.content.decode()
    client.post(url, {"action": "confirm"})
    assert Appointment.objects.get(pk=appointment.pk).confirmed_at is not None


def test_the_link_cancels_within_the_clinic_policy(client, world):
    appointment = book(world, tomorrow_at(10, days=3))
    url = f"/a/{link_token(appointment)}/"
    client.post(url, {"action": "cancel"})
    assert Appointment.objects.get(pk=appointment.pk).status == "cancelled"


def test_too_late_to_cancel_from_the_link(client, world):
    start = tomorrow_at(10, days=3)
    appointment = book(world, start)
    url = f"/a/{link_token(appointment)}/"
    with time_machine.travel(start - timedelta(hours=1)):
        page = client.get(url).content.decode()
        assert "取消预约" not in page
        client.post(url, {"action": "cancel"}, follow=True)
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"


def test_forged_or_outdated_links_do_nothing(client, world):
    appointment = book(world, tomorrow_at(10, days=3))
    token = link_token(appointment)
    assert client.get(f"/a/{token[:-2]}xx/").status_code == 404
    appointment_reschedule(
        actor=world.patient_parent, appointment=appointment, start=tomorrow_at(15, days=3)
    )
    client.post(f"/a/{token}/", {"action": "cancel"})
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"


def sms_of(kind):
    return [m for m in MemoryProvider.outbox if m.template == kind]


def test_a_nine_oclock_visit_is_not_reminded_at_seven(world, quiet_hours):
    start = tomorrow_at(9, days=3)
    appointment = book(world, start)
    sms = {n.scheduled_for for n in reminders(appointment).filter(channel="sms")}
    assert sms == {
        start - timedelta(hours=24),
        start - timedelta(hours=12),
    }  # 21:00 the evening before


def test_a_booking_less_than_two_hours_ahead_gets_one_confirmation(world):
    start = tomorrow_at(10, days=3)
    with time_machine.travel(start - timedelta(minutes=90)):
        MemoryProvider.outbox.clear()
        appointment = book(world, start)
        dispatch_due()
    assert not reminders(appointment).exists()
    assert len(sms_of("appointment_booked")) == 1
    assert sms_of("appointment_reminder") == []


def test_the_confirmation_goes_out_by_sms(world):
    MemoryProvider.outbox.clear()
    book(world, tomorrow_at(10, days=3))
    [confirmation] = sms_of("appointment_booked")
    assert confirmation.phone == world.patient_parent.phone and "张小宝" in confirmation.text
    assert Notification.objects.filter(kind="appointment_booked", status=Status.SENT).count() == 2


def test_cancelling_drops_a_confirmation_still_waiting_for_the_morning(world, quiet_hours):
    start = tomorrow_at(10, days=5)
    with time_machine.travel(tomorrow_at(23, days=0)):
        appointment = book(world, start)
        held = Notification.objects.get(kind="appointment_booked", channel="sms")
        assert held.status == Status.SCHEDULED
        appointment_cancel(actor=world.patient_parent, appointment=appointment)
    held.refresh_from_db()
    assert held.status == Status.SKIPPED
