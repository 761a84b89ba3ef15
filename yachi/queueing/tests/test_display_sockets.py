"""The display's sockets through the application the server runs (config.asgi): the
clinic's board socket and the queue socket opened with a display token. On the in-memory
layer without Redis, on channels_redis with it (the suite's second pass)."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from tests.sockets import run as run_on_own_thread
from yachi.queueing import services as queue
from yachi.queueing.display import services

# Committing: the consumers read in threads of their own (closing the connections they
# find old, as a server does), and a change rings the bell after its real commit.
pytestmark = pytest.mark.django_db(transaction=True)


def run(scenario):
    return run_on_own_thread(scenario)


async def opened(url):
    socket = WebsocketCommunicator(application, url)
    connected, _ = await socket.connect(timeout=20)
    assert connected
    return socket


async def refused(url) -> bool:
    socket = await opened(url)
    closed = await socket.receive_output(timeout=5)
    return closed == {"type": "websocket.close", "code": 4403}


@pytest.fixture
def floor(world):
    """Clinic A's display token, two walk-ins in 王医生's queue, and a way to change the
    queue from the sockets' event loop, committed as a request would."""
    token, secret = services.display_token_create(
        actor=world.clinic_a_manager, clinic=world.clinic_a, name="候诊区电视"
    )
    tickets = [
        queue.walk_in(
            actor=world.clinic_a_front_desk,
            clinic=world.clinic_a,
            phone=f"1390000000{n}",
            name=name,
            service=world.cleaning_a,
            doctor=world.clinic_a_doctor,
        )
        for n, name in enumerate(["张小三", "李四"])
    ]

    def committed(change, **kwargs):
        return database_sync_to_async(change)(**kwargs)

    return {
        "token": token,
        "secret": secret,
        "queue": tickets[0].queue,
        "tickets": tickets,
        "committed": committed,
        "desk": world.clinic_a_front_desk,
    }


def test_the_board_socket_gets_each_call_masked_with_its_room(world, floor):
    url = f"/ws/displays/{world.clinic_a.public_id}/?token={floor['secret']}"

    async def scenario():
        socket = await opened(url)
        await floor["committed"](
            queue.call_next, actor=floor["desk"], queue=floor["queue"], room="3"
        )
        first = await socket.receive_json_from(timeout=5)
        await floor["committed"](queue.recall, actor=floor["desk"], ticket=floor["tickets"][0])
        second = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return first, second

    first, second = run(scenario)
    assert first["type"] == "called" and first["room"] == "3"
    assert first["ticket"]["number"] == floor["tickets"][0].number
    assert first["ticket"]["patient"] == "张*三"
    assert "张小三" not in str(first) and "13900000000" not in str(first)
    assert second["type"] == "recalled" and second["seq"] == first["seq"] + 1


def test_a_board_that_comes_back_resumes_after_the_last_call_it_saw(world, floor):
    url = f"/ws/displays/{world.clinic_a.public_id}/?token={floor['secret']}"

    async def scenario():
        socket = await opened(url)
        await floor["committed"](
            queue.call_next, actor=floor["desk"], queue=floor["queue"], room="3"
        )
        seen = (await socket.receive_json_from(timeout=5))["seq"]
        await socket.disconnect()
        # Two changes while the television is away.
        await floor["committed"](queue.start, actor=floor["desk"], ticket=floor["tickets"][0])
        await floor["committed"](
            queue.call_next, actor=floor["desk"], queue=floor["queue"], room="5"
        )
        back = await opened(url)
        await back.send_json_to({"type": "resume", "after": seen})
        missed = [await back.receive_json_from(timeout=5) for _ in range(2)]
        assert await back.receive_nothing(timeout=0.2)
        await back.disconnect()
        return seen, missed

    seen, missed = run(scenario)
    assert [e["seq"] for e in missed] == [seen + 1, seen + 2]
    assert [e["type"] for e in missed] == ["started", "called"]
    assert missed[1]["ticket"]["patient"] == "李*" and missed[1]["room"] == "5"


def test_a_token_opens_only_its_own_clinics_board_and_queues(world, floor):
    clinic_b_token, clinic_b_secret = services.display_token_create(
        actor=world.clinic_a_manager, clinic=world.clinic_a, name="另一台"
    )
    services.display_token_revoke(actor=world.clinic_a_manager, token=clinic_b_token)

    async def scenario():
        return [
            # Clinic A's token on clinic B's board, a revoked token, a made-up one, none.
            await refused(f"/ws/displays/{world.clinic_b.public_id}/?token={floor['secret']}"),
            await refused(f"/ws/displays/{world.clinic_a.public_id}/?token={clinic_b_secret}"),
            await refused(f"/ws/displays/{world.clinic_a.public_id}/?token=yd_{'x' * 32}"),
            await refused(f"/ws/displays/{world.clinic_a.public_id}/"),
            await refused(f"/ws/queues/{floor['queue'].public_id}/?token={clinic_b_secret}"),
        ]

    assert run(scenario) == [True] * 5


def test_the_queue_socket_takes_a_display_token_of_the_queues_clinic(world, floor):
    from tests import factories as f

    other_manager = f.staff_member(world.clinic_b, role="manager")
    _, clinic_b_secret = services.display_token_create(
        actor=other_manager, clinic=world.clinic_b, name="徐汇电视"
    )
    url = f"/ws/queues/{floor['queue'].public_id}/?token="

    async def scenario():
        assert await refused(url + clinic_b_secret)  # another clinic's display
        socket = await opened(url + floor["secret"])
        await floor["committed"](
            queue.call_next, actor=floor["desk"], queue=floor["queue"], room="3"
        )
        event = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return event

    event = run(scenario)
    assert event["type"] == "called" and event["ticket"]["patient"] == "张*三"


def test_a_revoked_token_tells_its_open_sockets(world, floor):
    board = f"/ws/displays/{world.clinic_a.public_id}/?token={floor['secret']}"
    line = f"/ws/queues/{floor['queue'].public_id}/?token={floor['secret']}"

    async def scenario():
        sockets = [await opened(board), await opened(line)]
        await floor["committed"](
            services.display_token_revoke, actor=world.clinic_a_manager, token=floor["token"]
        )
        told = [await s.receive_json_from(timeout=5) for s in sockets]
        for socket in sockets:
            await socket.disconnect()
        again = await refused(board)
        return told, again

    told, again = run(scenario)
    assert told == [{"type": "display_revoked"}] * 2
    assert again
