"""Who may enter a video room, and when (ADR 0045)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yachi.core.errors import NotFound
from yachi.messaging.tests.video.conftest import consultation
from yachi.messaging.video.access import access_video_room, room_of
from yachi.messaging.video.errors import Ended, NotVideo, TooEarly


def test_the_patient_family_and_the_doctor_are_the_two_parties(world, video_appointment):
    patient = access_video_room(
        actor=world.patient_parent, appointment_id=video_appointment.public_id
    )
    doctor = access_video_room(
        actor=world.clinic_a_doctor.user, appointment_id=video_appointment.public_id
    )
    assert (patient.party, doctor.party) == ("patient", "doctor")
    assert patient.peer_name == "王医生"
    assert doctor.peer_name == world.parent.display_name


def test_a_child_s_consultation_is_the_parent_account_s(world, video_service):
    appointment = consultation(world, video_service, patient=world.patient_child)
    room = access_video_room(actor=world.patient_parent, appointment_id=appointment.public_id)
    assert room.party == "patient"
    assert room.peer_name == "王医生"


@pytest.mark.parametrize(
    "who",
    ["other_patient", "clinic_a_front_desk", "clinic_a_manager", "clinic_b_doctor", "implant"],
)
def test_anyone_else_finds_no_room(world, video_appointment, who):
    actor = {
        "implant": world.clinic_a_implant_doctor.user,
        "clinic_b_doctor": world.clinic_b_doctor.user,
    }.get(who) or getattr(world, who)
    with pytest.raises(NotFound):
        access_video_room(actor=actor, appointment_id=video_appointment.public_id)


@pytest.mark.parametrize("appointment_id", ["nope", "00000000-0000-0000-0000-000000000000", ""])
def test_no_such_appointment_is_not_found(world, appointment_id):
    with pytest.raises(NotFound):
        room_of(actor=world.patient_parent, appointment_id=appointment_id)


def test_the_room_opens_ten_minutes_before_and_closes_at_the_end(world, video_appointment):
    start, end = video_appointment.start, video_appointment.end
    at = {
        "early": start - timedelta(minutes=10, seconds=1),
        "opens": start - timedelta(minutes=10),
        "during": start + timedelta(minutes=5),
        "last": end - timedelta(seconds=1),
        "ended": end,
    }
    with pytest.raises(TooEarly) as early:
        access_video_room(
            actor=world.patient_parent, appointment_id=video_appointment.public_id, now=at["early"]
        )
    assert "10" in str(early.value.message)
    for moment in ("opens", "during", "last"):
        access_video_room(
            actor=world.patient_parent, appointment_id=video_appointment.public_id, now=at[moment]
        )
    with pytest.raises(Ended):
        access_video_room(
            actor=world.clinic_a_doctor.user,
            appointment_id=video_appointment.public_id,
            now=at["ended"],
        )


def test_the_window_is_configurable(world, video_appointment, settings):
    settings.YACHI_VIDEO_OPENS_MINUTES = 30
    settings.YACHI_VIDEO_CLOSES_MINUTES = 15
    room = room_of(actor=world.patient_parent, appointment_id=video_appointment.public_id)
    assert room.opens_at == video_appointment.start - timedelta(minutes=30)
    assert room.closes_at == video_appointment.end + timedelta(minutes=15)
    access_video_room(
        actor=world.patient_parent,
        appointment_id=video_appointment.public_id,
        now=video_appointment.end + timedelta(minutes=10),
    )


def test_a_cancelled_consultation_has_ended(world, video_service):
    appointment = consultation(world, video_service, status="cancelled")
    with pytest.raises(Ended):
        access_video_room(actor=world.patient_parent, appointment_id=appointment.public_id)


def test_an_appointment_in_a_chair_is_not_a_video_consultation(world):
    appointment = consultation(world, world.cleaning_a, chair=world.chairs_a[0])
    with pytest.raises(NotVideo):
        access_video_room(
            actor=world.patient_parent, appointment_id=appointment.public_id, now=timezone.now()
        )
