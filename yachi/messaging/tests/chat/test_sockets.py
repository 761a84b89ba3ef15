"""``/ws/conversations/<id>/`` through the application the server runs (``config.asgi``):
new messages as logged events with ``seq``, resuming after a drop, ``typing`` and ``read``
as transient messages, and nobody but the family and the clinic's staff let in. On the
in-memory layer, and on channels_redis when ``REDIS_URL`` is set."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from tests import factories as f
from tests.sockets import run
from yachi.accounts.services import token_issue
from yachi.compliance.models import AuditEntry
from yachi.core.roles import ClinicRole
from yachi.messaging.chat import services
from yachi.messaging.chat.models import Conversation

pytestmark = pytest.mark.django_db(transaction=True)


async def opened(conversation, user):
    token = await database_sync_to_async(token_issue)(user=user, label="test")
    socket = WebsocketCommunicator(
        application, f"/ws/conversations/{conversation.public_id}/?token={token}"
    )
    connected, _ = await socket.connect(timeout=20)
    assert connected
    return socket


async def events(socket, count):
    got = []
    while len(got) < count:
        message = await socket.receive_json_from(timeout=5)
        if "seq" in message:
            got.append(message)
    return got


send = database_sync_to_async(services.message_send)


def test_both_sides_get_each_new_message_once_in_order(world, chat):
    async def scenario():
        patient = await opened(chat, world.patient_parent)
        desk = await opened(chat, world.clinic_a_front_desk)
        await send(actor=world.patient_parent, conversation=chat, text="牙龈出血")
        await send(actor=world.clinic_a_front_desk, conversation=chat, text="您好，出血多久了？")
        seen_by_patient = await events(patient, 3)
        seen_by_desk = await events(desk, 3)
        assert await patient.receive_nothing(timeout=0.2)
        await patient.disconnect()
        await desk.disconnect()
        return seen_by_patient, seen_by_desk

    seen_by_patient, seen_by_desk = run(scenario)
    for seen in (seen_by_patient, seen_by_desk):
        assert [e["seq"] for e in seen] == [1, 2, 3]
        assert [e["message"]["kind"] for e in seen] == ["text", "event", "text"]
    assert seen_by_patient[0]["message"]["text"] == "牙龈出血"
    assert seen_by_desk[2]["message"]["side"] == "staff"


def test_a_socket_that_was_away_resumes_after_the_last_seq_it_saw(world, chat):
    for number in range(1, 6):
        services.message_send(actor=world.patient_parent, conversation=chat, text=f"第{number}条")

    async def scenario():
        socket = await opened(chat, world.clinic_a_front_desk)
        await socket.send_json_to({"type": "resume", "after": 2})
        got = await events(socket, 3)
        await socket.disconnect()
        return [e["seq"] for e in got]

    assert run(scenario) == [3, 4, 5]


def test_typing_reaches_the_other_side_and_read_receipts_both(world, chat):
    services.message_send(actor=world.clinic_a_front_desk, conversation=chat, text="请问哪颗牙？")

    async def scenario():
        patient = await opened(chat, world.patient_parent)
        desk = await opened(chat, world.clinic_a_front_desk)
        await patient.send_json_to({"type": "typing", "typing": True})
        typing = await desk.receive_json_from(timeout=5)
        assert await patient.receive_nothing(timeout=0.2)  # not back to the one typing
        await patient.send_json_to({"type": "read", "seq": 2})
        read = await desk.receive_json_from(timeout=5)
        await patient.send_json_to({"type": "read", "seq": "x"})
        refused = await patient.receive_json_from(timeout=5)
        if refused.get("type") == "read":  # its own receipt comes back to it too
            refused = await patient.receive_json_from(timeout=5)
        await patient.disconnect()
        await desk.disconnect()
        return typing, read, refused

    typing, read, refused = run(scenario)
    assert typing == {"type": "typing", "side": "patient", "typing": True}
    assert read == {"type": "read", "side": "patient", "upto": 2}
    assert refused["code"] == "invalid_seq"
    assert Conversation.objects.get(pk=chat.pk).patient_read_seq == 2


def test_nobody_else_gets_a_socket(world, chat):
    manager_b = f.staff_member(world.clinic_b, role=ClinicRole.MANAGER)
    strangers = [
        world.other_patient,
        world.clinic_b_front_desk,
        world.clinic_b_doctor.user,
        manager_b,
    ]

    async def refused(path):
        socket = WebsocketCommunicator(application, path)
        connected, _ = await socket.connect(timeout=20)
        closed = await socket.receive_output(timeout=5)
        return connected, closed

    for user in strangers:
        token = token_issue(user=user, label="test")
        _connected, closed = run(refused, f"/ws/conversations/{chat.public_id}/?token={token}")
        assert closed == {"type": "websocket.close", "code": 4403}, user
    _c, closed = run(refused, f"/ws/conversations/{chat.public_id}/")
    assert closed["code"] == 4403  # nobody signed in
    token = token_issue(user=world.patient_parent, label="test")
    _c, closed = run(
        refused, f"/ws/conversations/00000000-0000-4000-8000-000000000000/?token={token}"
    )
    assert closed["code"] == 4403


def test_a_staff_members_socket_is_a_read_in_the_audit_trail(world, chat):
    async def scenario():
        socket = await opened(chat, world.clinic_a_doctor.user)
        await socket.disconnect()

    run(scenario)
    entry = AuditEntry.objects.get(object_type="conversation", object_id=str(chat.public_id))
    assert entry.details["how"] == "socket" and entry.actor_id == world.clinic_a_doctor.user_id
