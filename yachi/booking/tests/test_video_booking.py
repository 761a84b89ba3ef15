"""A video consultation (a service of kind ``video``) holds its doctor's time and no chair
(ADR 0045): booked when every chair is taken, never over the doctor's other time."""

import pytest
from django.db import IntegrityError, transaction

from conftest import tomorrow_at
from tests import factories as f
from yachi.booking.errors import PatientBusy, SlotTaken
from yachi.booking.models import Appointment
from yachi.booking.selectors import doctor_availability
from yachi.booking.services import appointment_reschedule, appointments_book
from yachi.booking.waitlist.services import waitlist_join
from yachi.clinics.choices import ServiceKind


@pytest.fixture
def video(world):
    return f.ServiceFactory(
        clinic=world.clinic_a,
        code="ortho_follow_up",
        name="复诊咨询",
        name_en="Follow-up consultation",
        duration_minutes=20,
        price_fen=5000,
        kind=ServiceKind.VIDEO,
    )


def book(world, service, start, *, patient=None, actor=None, doctor=None):
    return appointments_book(
        actor=actor or world.patient_parent,
        doctor=doctor or world.clinic_a_doctor,
        service=service,
        start=start,
        patients=[patient or world.parent],
    ).appointments[0]


def test_a_video_consultation_holds_the_doctor_and_no_chair(world, video):
    appointment = book(world, video, tomorrow_at(10))
    assert appointment.chair_id is None and appointment.chair is None
    stored = Appointment.objects.get(pk=appointment.pk)
    assert stored.chair_id is None
    assert stored.doctor_id == world.clinic_a_doctor.pk
    assert (stored.end - stored.start).total_seconds() == 20 * 60


def test_a_video_consultation_is_booked_when_every_chair_is_taken(world, video):
    f.occupy_chairs(world.clinic_a, world.cleaning_a, tomorrow_at(11), count=3)
    with pytest.raises(SlotTaken):
        book(world, world.cleaning_a, tomorrow_at(11))
    appointment = book(world, video, tomorrow_at(11))
    assert appointment.chair_id is None


def test_two_video_consultations_of_two_doctors_at_one_time(world, video):
    first = book(world, video, tomorrow_at(10))
    second = book(
        world,
        video,
        tomorrow_at(10),
        doctor=world.clinic_a_implant_doctor,
        patient=world.other,
        actor=world.other_patient,
    )
    assert first.chair_id is None and second.chair_id is None


def test_the_doctor_is_never_double_booked_by_a_video_consultation(world, video):
    book(world, world.cleaning_a, tomorrow_at(10))  # 10:00–10:30 in a chair
    with pytest.raises(SlotTaken):
        book(world, video, tomorrow_at(10, 15), patient=world.other, actor=world.other_patient)
    book(world, video, tomorrow_at(14))  # 14:00–14:20, no chair
    with pytest.raises(SlotTaken):
        book(world, video, tomorrow_at(14), patient=world.other, actor=world.other_patient)
    with pytest.raises(SlotTaken):
        book(
            world,
            world.cleaning_a,
            tomorrow_at(14),
            patient=world.other,
            actor=world.other_patient,
        )
    assert Appointment.objects.filter(patient=world.other).count() == 0


def test_the_patient_cannot_be_in_a_chair_and_on_video_at_once(world, video):
    book(world, world.cleaning_a, tomorrow_at(10), doctor=world.clinic_a_implant_doctor)
    with pytest.raises(PatientBusy):
        book(world, video, tomorrow_at(10))
    assert Appointment.objects.filter(service=video).count() == 0


def test_the_database_refuses_a_chairless_overlap_of_the_doctor(world, video):
    """The guard is the constraint (PostgreSQL) or the trigger (SQLite), rebuilt after the
    column became nullable: a write that skips the service is refused as well."""
    appointment = book(world, video, tomorrow_at(10))
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Appointment.objects.create(
            clinic=world.clinic_a,
            doctor=world.clinic_a_doctor,
            chair=None,
            service=video,
            patient=world.other,
            channel="api",
            start=appointment.start,
            end=appointment.end,
            price_fen=0,
        )
    assert "appointment_doctor_no_overlap" in str(refused.value)
    # The chair's guard still stands too.
    chaired = book(world, world.cleaning_a, tomorrow_at(15))
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Appointment.objects.create(
            clinic=world.clinic_a,
            doctor=world.clinic_a_implant_doctor,
            chair_id=chaired.chair_id,
            service=world.cleaning_a,
            patient=world.other,
            channel="api",
            start=chaired.start,
            end=chaired.end,
            price_fen=0,
        )
    assert "appointment_chair_no_overlap" in str(refused.value)


def test_availability_of_a_video_consultation_ignores_the_chairs(world, video):
    f.occupy_chairs(world.clinic_a, world.cleaning_a, tomorrow_at(11), count=3)
    day = tomorrow_at(11).date()

    def starts(service):
        days = doctor_availability(doctor=world.clinic_a_doctor, service=service, days=3)
        return {s for d in days if d.day == day for s, _end in d.slots}

    assert tomorrow_at(11) not in starts(world.cleaning_a)
    assert tomorrow_at(11) in starts(video)


def test_a_rescheduled_video_consultation_takes_no_chair(world, video):
    f.occupy_chairs(world.clinic_a, world.cleaning_a, tomorrow_at(15), count=3)
    appointment = book(world, video, tomorrow_at(10))
    moved = appointment_reschedule(
        actor=world.patient_parent, appointment=appointment, start=tomorrow_at(15)
    )
    assert moved.chair_id is None
    assert moved.start == tomorrow_at(15)


def test_a_waitlist_hold_of_a_video_consultation_takes_no_chair(world, video):
    from yachi.booking.waitlist.services import offer_freed_time

    f.occupy_chairs(world.clinic_a, world.cleaning_a, tomorrow_at(10), count=3)
    waitlist_join(
        actor=world.patient_parent,
        patient=world.parent,
        service=video,
        doctor=world.clinic_a_doctor,
        earliest=tomorrow_at(9),
        latest=tomorrow_at(12),
    )
    offer = offer_freed_time(
        doctor_id=world.clinic_a_doctor.pk,
        clinic_id=world.clinic_a.pk,
        start=tomorrow_at(10),
        end=tomorrow_at(10, 20),
    )
    assert offer is not None
    assert offer.appointment.chair_id is None


def test_the_api_shows_a_video_appointment_without_a_chair(api, world, video):
    response = api.as_user(world.patient_parent).post(
        "/appointments",
        {
            "doctor_id": str(world.clinic_a_doctor.public_id),
            "service_id": str(video.public_id),
            "start": tomorrow_at(10).isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["chair"] is None
    assert body["kind"] == "video"
    listed = api.get("/appointments").json()
    assert [(a["kind"], a["chair"]) for a in listed] == [("video", None)]
