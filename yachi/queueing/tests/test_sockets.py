"""The queue's sockets through the application the server runs (``config.asgi``): the
in-memory layer on the embedded default, channels_redis under ``REDIS_URL``."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from config.asgi import application
from tests.sockets import run as run_scenario
from yachi.accounts.services import token_issue
from yachi.queueing import services

pytestmark = pytest.mark.django_db(transaction=True)


def run(scenario):
    return run_scenario(scenario)


async def opened(url):
    socket = WebsocketCommunicator(application, url)
    connected, _ = await socket.connect(timeout=20)
    assert connected
    return socket


def _line(world, count):
    now = timezone.now()
    return [
        services.walk_in(
            actor=world.clinic_a_front_desk,
            clinic=world.clinic_a,
            phone=f"1392000{i:04d}",
            name=f"钱{'小' * (i % 2)}{i}号",
            service=world.cleaning_a,
            doctor=world.clinic_a_doctor,
            now=now + timedelta(seconds=i),
        )
        for i in range(count)
    ]


call = database_sync_to_async(services.call_next)
recall = database_sync_to_async(services.recall)
skip = database_sync_to_async(services.skip)


def test_staff_hear_a_call_with_its_number_and_room(world):
    tickets = _line(world, 2)
    queue = tickets[0].queue
    token = token_issue(user=world.clinic_a_doctor.user, label="test")
    desk = world.clinic_a_front_desk

    async def scenario():
        socket = await opened(f"/ws/queues/{queue.public_id}/?token={token}")
        await call(actor=desk, queue=queue, room="3号诊室")
        event = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return event

    event = run(scenario)
    assert event["type"] == "called" and isinstance(event["seq"], int)
    assert event["room"] == "3号诊室"
    assert event["ticket"]["number"] == "B001" and event["ticket"]["status"] == "called"
    assert event["ticket"]["patient"] == "钱*号"
    assert event["queue_id"] == str(queue.public_id)


def test_a_screen_that_comes_back_gets_everything_it_missed_in_order(world):
    tickets = _line(world, 4)
    queue = tickets[0].queue
    token = token_issue(user=world.clinic_a_front_desk, label="test")
    desk = world.clinic_a_front_desk

    async def scenario():
        socket = await opened(f"/ws/queues/{queue.public_id}/?token={token}")
        await call(actor=desk, queue=queue)
        seen = (await socket.receive_json_from(timeout=5))["seq"]
        await socket.disconnect()
        # While the screen is away: a recall, a skip, two calls.
        first = tickets[0]
        await recall(actor=desk, ticket=first)
        await skip(actor=desk, ticket=first)
        await call(actor=desk, queue=queue)
        await call(actor=desk, queue=queue)
        again = await opened(f"/ws/queues/{queue.public_id}/?token={token}")
        assert await again.receive_nothing(timeout=0.2)  # nothing until it says where it was
        await again.send_json_to({"type": "resume", "after": seen})
        missed = [await again.receive_json_from(timeout=5) for _ in range(4)]
        assert await again.receive_nothing(timeout=0.3)  # and each only once
        await again.disconnect()
        return seen, missed

    seen, missed = run(scenario)
    assert [e["type"] for e in missed] == ["recalled", "skipped", "called", "called"]
    seqs = [e["seq"] for e in missed]
    assert seqs == sorted(seqs) and seqs[0] > seen and len(set(seqs)) == 4
    assert [e["ticket"]["number"] for e in missed[2:]] == ["B002", "B003"]


def test_the_owners_phone_hears_its_place_and_its_call_and_nothing_of_the_others(world):
    tickets = _line(world, 2)
    mine = tickets[1]
    queue = mine.queue
    token = token_issue(user=mine.owner, label="test")
    desk = world.clinic_a_front_desk

    async def scenario():
        socket = await opened(f"/ws/queue-tickets/{mine.public_id}/?token={token}")
        await call(actor=desk, queue=queue)
        moved_up = await socket.receive_json_from(timeout=5)
        await call(actor=desk, queue=queue, room="2号诊室")
        called = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return moved_up, called

    moved_up, called = run(scenario)
    assert moved_up["type"] == "position"
    assert moved_up["ticket"] == {
        "id": str(mine.public_id),
        "number": "B002",
        "position": 1,
        "estimated_wait_minutes": moved_up["ticket"]["estimated_wait_minutes"],
        "status": "waiting",
    }
    assert "B001" not in str(moved_up) and "waiting" not in moved_up
    assert called["type"] == "called" and called["room"] == "2号诊室"
    assert called["ticket"]["id"] == str(mine.public_id)
    assert "waiting" not in called


def test_strangers_sockets_are_refused(world):
    tickets = _line(world, 1)
    ticket = tickets[0]
    queue_id = ticket.queue.public_id
    other_desk = token_issue(user=world.clinic_b_front_desk, label="test")
    other_patient = token_issue(user=world.other_patient, label="test")
    own_desk = token_issue(user=world.clinic_a_front_desk, label="test")

    async def refused(url):
        socket = await opened(url)
        closed = await socket.receive_output(timeout=5)
        return closed

    async def scenario():
        return [
            await refused(f"/ws/queues/{queue_id}/?token={other_desk}"),
            await refused(f"/ws/queues/{queue_id}/?token={other_patient}"),
            await refused(f"/ws/queues/{queue_id}/"),
            await refused(f"/ws/queue-tickets/{ticket.public_id}/?token={other_patient}"),
            # The clinic's own staff do not follow a patient's phone.
            await refused(f"/ws/queue-tickets/{ticket.public_id}/?token={own_desk}"),
            await refused("/ws/queue-tickets/not-a-ticket/?token=" + own_desk),
        ]

    assert run(scenario) == [{"type": "websocket.close", "code": 4403}] * 6
