"""/ws/video/<appointment>/: the two parties get in during the window and hear each
other's signalling; everyone else is closed with 4403; joins and leaves are logged."""

from datetime import timedelta

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from tests.sockets import run
from yachi.accounts.services import token_issue
from yachi.messaging.tests.video.conftest import consultation
from yachi.messaging.video.consumers import relayed
from yachi.messaging.video.models import VideoRoomEvent

OFFER = {"type": "offer", "session": "doc1", "to": "pat1", "sdp": "v=0\r\no=- 1 2 IN IP4 0.0.0.0"}
ICE = {
    "type": "ice",
    "session": "pat1",
    "to": "doc1",
    "candidate": {
        "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host",
        "sdpMid": "0",
        "sdpMLineIndex": 0,
        "usernameFragment": "abcd",
    },
}


# The consumers' writes commit for real (each in its own thread's connection, as when
# served), so that joins and leaves wake the room's sockets after their commit.
pytestmark = pytest.mark.django_db(transaction=True)


def url(appointment, user) -> str:
    return f"/ws/video/{appointment.public_id}/?token={token_issue(user=user, label='test')}"


async def opened(path):
    socket = WebsocketCommunicator(application, path)
    connected, _ = await socket.connect(timeout=20)
    assert connected
    return socket


def test_patient_and_doctor_join_and_relay_offers_answers_and_candidates(world, video_appointment):
    patient_url = url(video_appointment, world.patient_parent)
    doctor_url = url(video_appointment, world.clinic_a_doctor.user)

    async def scenario():
        patient = await opened(patient_url)
        first = await patient.receive_json_from(timeout=5)  # its own join, from the log
        doctor = await opened(doctor_url)
        joined = await patient.receive_json_from(timeout=5)
        await doctor.receive_json_from(timeout=5)  # the doctor's own join
        await doctor.send_json_to(OFFER)
        offer = await patient.receive_json_from(timeout=5)
        await patient.send_json_to(ICE)
        candidate = await doctor.receive_json_from(timeout=5)
        assert await doctor.receive_nothing(timeout=0.1)  # the offer is not echoed
        await patient.disconnect()
        left = await doctor.receive_json_from(timeout=5)
        await doctor.disconnect()
        return first, joined, offer, candidate, left

    first, joined, offer, candidate, left = run(scenario)
    assert (first["type"], first["party"], first["seq"]) == ("joined", "patient", 1)
    assert (joined["type"], joined["party"], joined["seq"]) == ("joined", "doctor", 2)
    assert offer == {**OFFER, "party": "doctor"}
    assert candidate == {**ICE, "party": "patient"}
    assert (left["type"], left["party"], left["seq"]) == ("left", "patient", 3)
    log = list(VideoRoomEvent.objects.order_by("seq").values_list("party", "kind", "user_id"))
    assert log == [
        ("patient", "joined", world.patient_parent.pk),
        ("doctor", "joined", world.clinic_a_doctor.user.pk),
        ("patient", "left", world.patient_parent.pk),
        ("doctor", "left", world.clinic_a_doctor.user.pk),
    ]


@pytest.mark.parametrize(
    "who", ["other_patient", "clinic_a_front_desk", "clinic_a_manager", "implant", "nobody"]
)
def test_anyone_else_is_closed_with_4403_and_nothing_is_logged(world, video_appointment, who):
    if who == "nobody":
        path = f"/ws/video/{video_appointment.public_id}/"
    else:
        user = world.clinic_a_implant_doctor.user if who == "implant" else getattr(world, who)
        path = url(video_appointment, user)

    async def scenario():
        socket = await opened(path)
        return await socket.receive_output(timeout=5)

    assert run(scenario) == {"type": "websocket.close", "code": 4403}
    assert not VideoRoomEvent.objects.exists()


@pytest.mark.parametrize(
    ("starts_in", "status", "in_chair"),
    [
        (timedelta(minutes=30), "booked", False),  # too early
        (timedelta(minutes=-40), "booked", False),  # over
        (timedelta(minutes=1), "cancelled", False),
        (timedelta(minutes=1), "booked", True),  # not a video consultation
    ],
)
def test_outside_its_window_even_a_party_is_refused(
    world, video_service, starts_in, status, in_chair
):
    appointment = consultation(
        world,
        world.cleaning_a if in_chair else video_service,
        starts_in=starts_in,
        status=status,
        chair=world.chairs_a[0] if in_chair else None,
    )
    path = url(appointment, world.patient_parent)

    async def scenario():
        socket = await opened(path)
        return await socket.receive_output(timeout=5)

    assert run(scenario)["code"] == 4403


def test_at_the_window_s_end_both_are_told_and_closed(world, video_service, settings):
    settings.YACHI_VIDEO_CLOSES_MINUTES = 0
    # Twenty minutes long, ending in three seconds.
    appointment = consultation(world, video_service, starts_in=timedelta(minutes=-20, seconds=3))
    path = url(appointment, world.patient_parent)

    async def scenario():
        socket = await opened(path)
        got = [await socket.receive_json_from(timeout=5)]
        got.append(await socket.receive_json_from(timeout=5))
        closed = await socket.receive_output(timeout=5)
        return got, closed

    got, closed = run(scenario)
    assert [m["type"] for m in got] == ["joined", "room_closed"]
    assert closed == {"type": "websocket.close", "code": 4403}


def test_bad_signalling_is_refused_and_not_relayed(world, video_appointment):
    patient_url = url(video_appointment, world.patient_parent)
    doctor_url = url(video_appointment, world.clinic_a_doctor.user)

    async def scenario():
        patient = await opened(patient_url)
        await patient.receive_json_from(timeout=5)  # joined: the patient
        doctor = await opened(doctor_url)
        await patient.receive_json_from(timeout=5)  # joined: the doctor
        await doctor.receive_json_from(timeout=5)
        answers = []
        for bad in (
            {"type": "offer", "session": "p", "to": "d"},  # no sdp
            {"type": "offer", "session": "p", "to": "d", "sdp": "x" * 20_000},
            {"type": "ice", "session": "p", "to": "d", "candidate": "not an object"},
            {"type": "ready", "session": ""},
            {"type": "hello", "session": "p"},
        ):
            await patient.send_json_to(bad)
            answers.append(await patient.receive_json_from(timeout=5))
        quiet = await doctor.receive_nothing(timeout=0.2)
        await patient.disconnect()
        await doctor.disconnect()
        return answers, quiet

    answers, quiet = run(scenario)
    assert answers == [{"type": "error", "code": "bad_message"}] * 5
    assert quiet


def test_a_relayed_message_carries_only_its_own_fields():
    assert relayed({"type": "ready", "session": "s", "html": "<script>"}) == {
        "type": "ready",
        "session": "s",
    }
    assert relayed({**OFFER, "extra": 1}) == OFFER
    assert relayed({**ICE, "candidate": {**ICE["candidate"], "sdpMLineIndex": True}}) is None
