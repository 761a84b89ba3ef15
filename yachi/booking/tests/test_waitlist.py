"""The waitlist: freed times offered in fair order, held, passed on, never twice."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import tomorrow_at
from tests.factories import patient_user
from yachi.booking.choices import OfferStatus
from yachi.booking.errors import SlotTaken
from yachi.booking.models import Appointment, WaitlistEntry, WaitlistOffer
from yachi.booking.services import appointment_cancel, appointments_book
from yachi.booking.waitlist import services as waitlist
from yachi.core.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db(transaction=True)


def holder(user):
    return user.family_account.members.get(seat=0)


def book(world, start, user):
    return appointments_book(
        actor=user,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=start,
        patients=[holder(user)],
    ).appointments[0]


def wait(world, user, *, in_pain=False, hours=(8, 19)):
    return waitlist.waitlist_join(
        actor=user,
        patient=holder(user),
        service=world.cleaning_a,
        doctor=world.clinic_a_doctor,
        earliest=tomorrow_at(hours[0]),
        latest=tomorrow_at(hours[1]),
        is_emergency=in_pain,
    )


@pytest.fixture
def full_morning(world):
    """Someone has 10:00 with Dr Wang; three others wait (the last one in pain)."""
    booked = book(world, tomorrow_at(10), world.other_patient)
    waiting = [patient_user(f"1380000080{n}") for n in range(3)]
    entries = [wait(world, user, in_pain=(n == 2)) for n, user in enumerate(waiting)]
    return booked, entries


def test_a_cancelled_time_is_offered_to_someone_in_pain_first(world, full_morning):
    booked, entries = full_morning
    appointment_cancel(actor=world.other_patient, appointment=booked)
    offer = WaitlistOffer.objects.get()
    assert offer.entry == entries[2]
    assert offer.start == tomorrow_at(10)
    assert offer.appointment.status == "pending"


def test_the_offered_time_is_held_for_the_offer(world, full_morning):
    booked, _entries = full_morning
    appointment_cancel(actor=world.other_patient, appointment=booked)
    with pytest.raises(SlotTaken):
        book(world, tomorrow_at(10), world.patient_parent)


def test_accepting_books_the_time(world, full_morning):
    booked, entries = full_morning
    appointment_cancel(actor=world.other_patient, appointment=booked)
    appointment = waitlist.offer_accept(offer=WaitlistOffer.objects.get())
    assert appointment.status == "booked"
    assert WaitlistEntry.objects.get(pk=entries[2].pk).status == "booked"


def test_an_offer_not_taken_in_time_passes_to_the_next_in_line(world, full_morning):
    booked, entries = full_morning
    appointment_cancel(actor=world.other_patient, appointment=booked)
    first = WaitlistOffer.objects.get()
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert waitlist.expire_offers() == 1
    first.refresh_from_db()
    assert first.status == OfferStatus.EXPIRED
    second = WaitlistOffer.objects.get(status=OfferStatus.OPEN)
    assert second.entry == entries[0]  # first come, first served after the one in pain
    with pytest.raises(Conflict):
        waitlist.offer_accept(offer=first)


def test_declining_passes_it_on_and_the_last_one_ends_the_offers(world, full_morning):
    booked, _entries = full_morning
    appointment_cancel(actor=world.other_patient, appointment=booked)
    for _ in range(3):
        waitlist.offer_decline(offer=WaitlistOffer.objects.get(status=OfferStatus.OPEN))
    assert not WaitlistOffer.objects.filter(status=OfferStatus.OPEN).exists()
    assert WaitlistOffer.objects.count() == 3  # once to each, never twice
    book(world, tomorrow_at(10), world.patient_parent)  # free again for anyone


def test_offering_stops_once_someone_books_the_time(world, full_morning):
    booked, _entries = full_morning
    appointment_cancel(actor=world.other_patient, appointment=booked)
    first = WaitlistOffer.objects.get()
    # The hold is released and, before the next offer, someone books the time.
    Appointment.objects.filter(pk=first.appointment_id).update(status="cancelled")
    book(world, tomorrow_at(10), world.patient_parent)
    assert (
        waitlist.offer_freed_time(
            doctor_id=world.clinic_a_doctor.pk,
            clinic_id=world.clinic_a.pk,
            start=tomorrow_at(10),
            end=tomorrow_at(10, 30),
        )
        is None
    )
    assert WaitlistOffer.objects.count() == 1


def test_a_time_freed_at_night_is_held_from_the_morning_when_the_offer_reaches_the_phone(
    world, full_morning, settings
):
    from yachi.messaging.models import Notification

    settings.YACHI_QUIET_HOURS = (22, 8)
    booked, entries = full_morning
    night = tomorrow_at(10) - timedelta(hours=11)  # 23:00 the evening before
    with time_machine.travel(night, tick=False):
        appointment_cancel(actor=world.other_patient, appointment=booked)
        offer = WaitlistOffer.objects.get()
        morning = tomorrow_at(8)
        assert offer.expires_at == morning + timedelta(minutes=15)
        sms = Notification.objects.get(kind="waitlist_offer", channel="sms")
        assert sms.scheduled_for == morning
        assert waitlist.expire_offers() == 0
    with time_machine.travel(morning + timedelta(minutes=10), tick=False):
        assert waitlist.expire_offers() == 0  # still the first one's, not passed on overnight
    assert WaitlistOffer.objects.get(status=OfferStatus.OPEN).entry == entries[2]


def test_a_time_that_starts_before_the_quiet_hours_end_is_not_offered_at_night(world, settings):
    settings.YACHI_QUIET_HOURS = (22, 10)
    booked = book(world, tomorrow_at(9), world.other_patient)
    wait(world, patient_user("13800000811"), hours=(8, 12))
    with time_machine.travel(tomorrow_at(9) - timedelta(hours=10), tick=False):  # 23:00
        appointment_cancel(actor=world.other_patient, appointment=booked)
    assert not WaitlistOffer.objects.exists()


def test_nobody_is_offered_a_time_outside_their_window(world):
    booked = book(world, tomorrow_at(10), world.other_patient)
    late_riser = patient_user("13800000810")
    wait(world, late_riser, hours=(14, 18))
    appointment_cancel(actor=world.other_patient, appointment=booked)
    assert not WaitlistOffer.objects.exists()


def test_joining_twice_is_refused(world):
    wait(world, world.patient_parent)
    with pytest.raises(Conflict):
        wait(world, world.patient_parent)


@pytest.mark.django_db
def test_a_window_beyond_the_booking_horizon_is_refused(world):
    from datetime import datetime

    from conftest import SHANGHAI

    far = [
        (datetime(9999, 12, 20, 7, tzinfo=SHANGHAI), datetime(9999, 12, 31, 22, tzinfo=SHANGHAI)),
        (tomorrow_at(8, days=15), tomorrow_at(18, days=16)),
    ]
    for earliest, latest in far:
        with pytest.raises(InvalidInput) as refused:
            waitlist.waitlist_join(
                actor=world.patient_parent,
                patient=world.parent,
                service=world.cleaning_a,
                earliest=earliest,
                latest=latest,
            )
        assert refused.value.code == "invalid_window"
    assert not WaitlistEntry.objects.exists()
    # The last bookable fortnight is still fine.
    wait(world, world.patient_parent)


def test_the_waitlist_over_the_api(api, world):
    booked = book(world, tomorrow_at(10), world.other_patient)
    api.as_user(world.patient_parent)
    joined = api.post(
        "/waitlist",
        {
            "service_id": str(world.cleaning_a.public_id),
            "doctor_id": str(world.clinic_a_doctor.public_id),
            "earliest": tomorrow_at(8).isoformat(),
            "latest": tomorrow_at(12).isoformat(),
        },
    )
    assert joined.status_code == 201, joined.content
    appointment_cancel(actor=world.other_patient, appointment=booked)
    entries = api.get("/waitlist").json()
    offer = entries[0]["offers"][0]
    assert entries[0]["status"] == "offered" and offer["status"] == "open"
    accepted = api.post(f"/waitlist/offers/{offer['id']}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "booked"
    assert api.post(f"/waitlist/offers/{offer['id']}/accept").status_code == 409
