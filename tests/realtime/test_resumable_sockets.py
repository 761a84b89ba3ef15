"""The WebSocket base (ADR 0042), through the same socket application the server runs:
who a socket is, what it may join, and that it sends every logged event once, in order."""

import time

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import path

from tests.factories import patient_user
from tests.sockets import run
from yachi.accounts.services import token_issue
from yachi.core import realtime
from yachi.core.realtime.consumers import ResumableConsumer
from yachi.web.routing import socket_application

LOG: list[dict] = []


class RoomSocket(ResumableConsumer):
    """A consumer over a list in memory: its log, and a room anyone signed in may join."""

    async def authorize(self):
        if self.user is None and self.raw_token != "display-token":
            raise realtime.Refused()
        return [realtime.group_name("test-room", self.url_kwargs["room"])]

    def initial_seq(self):
        return LOG[-1]["seq"] if LOG else 0

    def events_after(self, after):
        return [e for e in LOG if e["seq"] > after][:200]

    async def on_message(self, content):
        if content.get("type") == "typing":
            await realtime.abroadcast(
                self.groups_joined[0], {"type": "typing"}, sender=self.channel_name
            )
        else:
            await super().on_message(content)


APP = socket_application([path("ws/rooms/<str:room>/", RoomSocket.as_asgi())])


def log_event(n):
    LOG.append({"seq": n, "type": "said", "n": n})


@pytest.fixture(autouse=True)
def empty_log():
    LOG.clear()
    yield
    LOG.clear()


async def opened(url, headers=None):
    socket = WebsocketCommunicator(APP, url, headers=headers or [])
    connected, _ = await socket.connect(timeout=20)
    assert connected
    return socket


@pytest.mark.django_db(transaction=True)
def test_a_socket_gets_every_event_after_the_one_it_saw_in_order_and_once():
    token = token_issue(user=patient_user(), label="test")
    for n in range(1, 6):
        log_event(n)

    async def scenario():
        socket = await opened(f"/ws/rooms/a/?token={token}")
        await socket.send_json_to({"type": "resume", "after": 2})
        got = [(await socket.receive_json_from(timeout=5))["seq"] for _ in range(3)]
        # Woken twice for one new event: it is sent once.
        log_event(6)
        await realtime.apublish(realtime.group_name("test-room", "a"))
        await realtime.apublish(realtime.group_name("test-room", "a"))
        got.append((await socket.receive_json_from(timeout=5))["seq"])
        assert await socket.receive_nothing(timeout=0.2)
        await socket.disconnect()
        return got

    assert run(scenario) == [3, 4, 5, 6]


@pytest.mark.django_db(transaction=True)
def test_a_new_socket_starts_at_the_end_of_the_log():
    token = token_issue(user=patient_user(), label="test")
    log_event(1)

    async def scenario():
        socket = await opened(f"/ws/rooms/a/?token={token}")
        log_event(2)
        await realtime.apublish(realtime.group_name("test-room", "a"))
        first = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return first

    assert run(scenario)["seq"] == 2


@pytest.mark.django_db(transaction=True)
def test_a_socket_that_was_not_woken_finds_the_event_on_its_poll(settings):
    settings.YACHI_REALTIME_POLL_SECONDS = 0.05
    token = token_issue(user=patient_user(), label="test")

    async def scenario():
        socket = await opened(f"/ws/rooms/a/?token={token}")
        log_event(1)  # written by "another process": no wake-up reaches this one
        event = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return event

    assert run(scenario)["seq"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_socket_without_a_user_is_refused_with_4403():
    async def scenario():
        socket = await opened("/ws/rooms/a/")
        closed = await socket.receive_output(timeout=5)
        return closed

    assert run(scenario) == {"type": "websocket.close", "code": 4403}


@pytest.mark.django_db(transaction=True)
def test_a_revoked_or_forged_token_is_no_user():
    async def scenario(url):
        socket = await opened(url)
        return await socket.receive_output(timeout=5)

    assert run(scenario, "/ws/rooms/a/?token=ya_forged")["code"] == 4403
    assert run(scenario, "/ws/rooms/a/?token=" + "x" * 5000)["code"] == 4403


@pytest.mark.django_db(transaction=True)
def test_a_token_of_another_kind_reaches_the_consumer_to_judge():
    async def scenario():
        socket = await opened("/ws/rooms/a/?token=display-token")
        await socket.send_json_to({"type": "ping"})
        answer = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return answer

    assert run(scenario) == {"type": "pong"}


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


@pytest.mark.django_db(transaction=True)
def test_a_page_of_this_site_opens_a_socket_with_its_session_and_a_page_elsewhere_cannot():
    cookie = session_cookie(patient_user())

    async def scenario(origin):
        socket = await opened(
            "/ws/rooms/a/",
            headers=[(b"cookie", cookie), (b"origin", origin), (b"host", b"testserver:8001")],
        )
        await socket.send_json_to({"type": "ping"})
        return await socket.receive_output(timeout=5)

    assert run(scenario, b"http://testserver")["text"] == '{"type": "pong"}'
    assert run(scenario, b"https://evil.example")["code"] == 4403


@pytest.mark.django_db(transaction=True)
def test_an_idle_staff_session_opens_no_socket(world, settings):
    client = Client()
    client.force_login(world.clinic_a_front_desk)
    session = client.session
    session["last_seen"] = time.time() - (settings.YACHI_STAFF_IDLE_MINUTES * 60 + 5)
    session.save()
    cookie = f"sessionid={session.session_key}".encode()

    async def scenario():
        socket = await opened(
            "/ws/rooms/a/",
            headers=[
                (b"cookie", cookie),
                (b"origin", b"http://testserver"),
                (b"host", b"testserver"),
            ],
        )
        return await socket.receive_output(timeout=5)

    assert run(scenario)["code"] == 4403
    assert SESSION_KEY in session


@pytest.mark.django_db(transaction=True)
def test_a_logout_closes_the_sockets_its_token_opened(settings):
    from channels.db import database_sync_to_async

    from yachi.accounts.services import token_revoke

    settings.YACHI_REALTIME_POLL_SECONDS = 0.05
    token = token_issue(user=patient_user(), label="test")

    async def scenario():
        socket = await opened(f"/ws/rooms/a/?token={token}")
        log_event(1)
        seen = await socket.receive_json_from(timeout=2)
        await database_sync_to_async(token_revoke)(raw=token)
        log_event(2)  # after the logout: never sent
        return seen, await socket.receive_output(timeout=2)

    seen, closed = run(scenario)
    assert seen["seq"] == 1
    assert closed == {"type": "websocket.close", "code": 4403}


@pytest.mark.django_db(transaction=True)
def test_a_logout_closes_the_sockets_its_session_opened(settings):
    settings.YACHI_REALTIME_POLL_SECONDS = 0.05
    client = Client()
    client.force_login(patient_user())
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    headers = [(b"cookie", cookie), (b"origin", b"http://testserver"), (b"host", b"testserver")]

    async def scenario():
        from channels.db import database_sync_to_async

        socket = await opened("/ws/rooms/a/", headers=headers)
        await socket.send_json_to({"type": "ping"})
        pong = await socket.receive_json_from(timeout=2)
        await database_sync_to_async(client.logout)()
        return pong, await socket.receive_output(timeout=2)

    pong, closed = run(scenario)
    assert pong == {"type": "pong"}
    assert closed == {"type": "websocket.close", "code": 4403}


@pytest.mark.django_db(transaction=True)
def test_typing_reaches_the_others_in_the_room_but_not_the_sender():
    token = token_issue(user=patient_user(), label="test")

    async def scenario():
        one = await opened(f"/ws/rooms/a/?token={token}")
        two = await opened(f"/ws/rooms/a/?token={token}")
        elsewhere = await opened(f"/ws/rooms/b/?token={token}")
        await one.send_json_to({"type": "typing"})
        got = await two.receive_json_from(timeout=5)
        assert await one.receive_nothing(timeout=0.1)
        assert await elsewhere.receive_nothing(timeout=0.1)
        for s in (one, two, elsewhere):
            await s.disconnect()
        return got

    assert run(scenario) == {"type": "typing"}


@pytest.mark.django_db(transaction=True)
def test_bad_messages_get_an_error_and_change_nothing():
    token = token_issue(user=patient_user(), label="test")
    log_event(1)

    async def scenario():
        socket = await opened(f"/ws/rooms/a/?token={token}")
        answers = []
        for text in (
            "not json",
            "[1, 2]",
            '{"type": "resume", "after": -1}',
            '{"type": "resume", "after": "1"}',
            '{"type": "resume", "after": true}',
            '{"type": "nonsense"}',
            "x" * 20000,
        ):
            await socket.send_to(text_data=text)
            answers.append((await socket.receive_json_from(timeout=5))["code"])
        assert await socket.receive_nothing(timeout=0.1)
        await socket.disconnect()
        return answers

    assert run(scenario) == [
        "bad_message",
        "bad_message",
        "bad_resume",
        "bad_resume",
        "bad_resume",
        "unknown_type",
        "bad_message",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_path_no_context_serves_is_closed_with_4404():
    async def scenario():
        socket = await opened("/ws/nothing-here/")
        return await socket.receive_output(timeout=5)

    assert run(scenario)["code"] == 4404


def test_group_names_are_the_deployments_and_safe_for_the_layer(settings):
    settings.YACHI_REDIS_PREFIX = "clinicA"
    assert realtime.group_name("queue", "12 ab/ü") == "clinicA.queue.12_ab__"
    long = realtime.group_name("x" * 300)
    assert len(long) <= 99 and long.startswith("clinicA.xxx")
    assert long != realtime.group_name("x" * 299)
    get_channel_layer().require_valid_group_name(long)


class AwayLayer(InMemoryChannelLayer):
    async def group_send(self, group, message):
        raise ConnectionError("the layer is away")


def test_publish_from_sync_code_never_raises_when_the_layer_is_away(settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "tests.realtime.test_resumable_sockets.AwayLayer"}
    }
    realtime.publish(realtime.group_name("queue", 1))
    realtime.broadcast(realtime.group_name("queue", 1), {"type": "typing"})
