"""GET /api/v1/appointments/{id}/video: the room for its two parties, clear refusals."""

from datetime import timedelta

import pytest

from yachi.messaging.tests.video.conftest import consultation


def test_the_patient_gets_the_room_and_the_ice_servers(api, world, video_appointment, settings):
    settings.YACHI_ICE_SERVERS = [
        {"urls": "stun:stun.example.cn:3478"},
        {"urls": ["turn:turn.example.cn:3478"], "username": "u", "credential": "c"},
    ]
    response = api.as_user(world.patient_parent).get(
        f"/appointments/{video_appointment.public_id}/video"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["appointment_id"] == str(video_appointment.public_id)
    assert body["party"] == "patient"
    assert body["peer_name"] == "王医生"
    assert body["socket_path"] == f"/ws/video/{video_appointment.public_id}/"
    assert body["start"].endswith("+08:00")
    assert body["ice_servers"] == [
        {"urls": ["stun:stun.example.cn:3478"], "username": None, "credential": None},
        {"urls": ["turn:turn.example.cn:3478"], "username": "u", "credential": "c"},
    ]


def test_the_doctor_gets_it_too_with_no_ice_servers_by_default(api, world, video_appointment):
    response = api.as_user(world.clinic_a_doctor.user).get(
        f"/appointments/{video_appointment.public_id}/video"
    )
    assert response.status_code == 200
    assert response.json()["party"] == "doctor"
    assert response.json()["ice_servers"] == []


@pytest.mark.parametrize("who", ["other_patient", "clinic_a_front_desk", "clinic_b_front_desk"])
def test_anyone_else_gets_404(api, world, video_appointment, who):
    response = api.as_user(getattr(world, who)).get(
        f"/appointments/{video_appointment.public_id}/video"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "appointment_not_found"


def test_without_a_token_401(api, video_appointment):
    response = api.get(f"/appointments/{video_appointment.public_id}/video")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message"}


@pytest.mark.parametrize(
    ("starts_in", "status", "in_chair", "code"),
    [
        (timedelta(minutes=11), "booked", False, "too_early"),
        (timedelta(minutes=-30), "booked", False, "ended"),
        (timedelta(minutes=2), "cancelled", False, "ended"),
        (timedelta(minutes=2), "booked", True, "not_video"),
    ],
)
def test_refusals_are_409_with_their_codes(
    api, world, video_service, starts_in, status, in_chair, code
):
    service = world.cleaning_a if in_chair else video_service
    appointment = consultation(
        world,
        service,
        starts_in=starts_in,
        status=status,
        chair=world.chairs_a[0] if in_chair else None,
    )
    response = api.as_user(world.patient_parent).get(f"/appointments/{appointment.public_id}/video")
    assert response.status_code == 409
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_a_bad_id_is_404(api, world):
    response = api.as_user(world.patient_parent).get("/appointments/not-a-uuid/video")
    assert response.status_code == 404
