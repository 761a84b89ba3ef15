"""Joins and leaves: numbered in the room's log, shown to the clinic, a doctor's audited."""

from yachi.compliance.models import AuditEntry
from yachi.messaging.video.access import access_video_room
from yachi.messaging.video.models import VideoRoom, VideoRoomEvent
from yachi.messaging.video.selectors import (
    room_events_after,
    room_last_seq,
    room_log,
    rooms_present,
)
from yachi.messaging.video.services import room_join, room_leave


def rooms(world, appointment):
    patient = access_video_room(actor=world.patient_parent, appointment_id=appointment.public_id)
    doctor = access_video_room(
        actor=world.clinic_a_doctor.user, appointment_id=appointment.public_id
    )
    return patient, doctor


def test_joins_and_leaves_are_numbered_in_order(world, video_appointment):
    patient, doctor = rooms(world, video_appointment)
    room_join(actor=world.patient_parent, room=patient)
    room_join(actor=world.clinic_a_doctor.user, room=doctor)
    room_leave(actor=world.patient_parent, room=patient)
    events = room_events_after(appointment_id=video_appointment.public_id, after=0)
    assert [(e["seq"], e["type"], e["party"]) for e in events] == [
        (1, "joined", "patient"),
        (2, "joined", "doctor"),
        (3, "left", "patient"),
    ]
    assert room_events_after(appointment_id=video_appointment.public_id, after=2)[0]["seq"] == 3
    assert room_last_seq(appointment_id=video_appointment.public_id) == 3
    assert rooms_present(appointment_id=video_appointment.public_id) == {"doctor"}
    log = room_log(appointment_id=video_appointment.public_id)
    assert [(e.user_id, e.kind) for e in log] == [
        (world.patient_parent.pk, "joined"),
        (world.clinic_a_doctor.user.pk, "joined"),
        (world.patient_parent.pk, "left"),
    ]
    assert VideoRoom.objects.get().clinic == world.clinic_a.public_id


def test_a_room_never_entered_has_no_events(world, video_appointment):
    assert room_last_seq(appointment_id=video_appointment.public_id) == 0
    assert room_events_after(appointment_id=video_appointment.public_id, after=0) == []


def test_the_doctor_s_join_is_audited_and_the_patient_s_is_not(world, video_appointment):
    patient, doctor = rooms(world, video_appointment)
    before = AuditEntry.objects.filter(action="video_joined").count()
    room_join(actor=world.patient_parent, room=patient)
    assert AuditEntry.objects.filter(action="video_joined").count() == before
    room_join(actor=world.clinic_a_doctor.user, room=doctor)
    entry = AuditEntry.objects.filter(action="video_joined").latest("seq")
    assert entry.actor_id == world.clinic_a_doctor.user.pk
    assert entry.object_type == "appointment"
    assert entry.object_id == str(video_appointment.public_id)
    assert entry.clinic == str(world.clinic_a.public_id)


def test_two_rooms_keep_their_own_numbers(world, video_service, video_appointment):
    from datetime import timedelta

    from yachi.messaging.tests.video.conftest import consultation

    other = consultation(
        world,
        video_service,
        starts_in=timedelta(minutes=6),
        doctor=world.clinic_a_implant_doctor,
        patient=world.other,
    )
    patient, _doctor = rooms(world, video_appointment)
    room_join(actor=world.patient_parent, room=patient)
    theirs = access_video_room(actor=world.other_patient, appointment_id=other.public_id)
    room_join(actor=world.other_patient, room=theirs)
    assert room_last_seq(appointment_id=other.public_id) == 1
    assert VideoRoomEvent.objects.filter(seq=1).count() == 2
