"""One socket-server process holds 500 idle sockets under channels_redis, and a call
reaches every one of them (ADR 0046).

With channels_redis as shipped, redis-py's default pool (100 connections) refused the
101st socket's ``group_add`` with "Too many connections": about 400 of 500 sockets
opened together were lost. Here the real `yachi sockets` process (uvicorn, the ASGI
application, the layer of config/settings.py) accepts all 500 opened at once on the
waiting-room display's route, every one answers a ping, and one call made by the front
desk in this process reaches every socket through Redis. The consumers' poll tick is
set far beyond the wait, so only the layer's wake-up can have brought the call.

PostgreSQL + Redis only: the server process reads the test's database, and the layer
under test is channels_redis.
"""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from conftest import own_database_url, unused_port
from tests.sockets import run
from yachi.queueing import services as queue
from yachi.queueing.display.services import display_token_create

pytestmark = [pytest.mark.long, pytest.mark.django_db(transaction=True)]

SOCKETS = 500
# Far beyond the wait below: a socket that gets the call got it from the wake-up. The
# wait is generous: the test runs on shared, loaded machines.
POLL_SECONDS = 600
WAIT_SECONDS = 90


@pytest.fixture
def socket_server():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("channels_redis with a server process on the test's PostgreSQL")
    port = unused_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": own_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "YACHI_KEYS_FILE": str(settings.DATA_DIR / "keys.json"),
        "YACHI_REDIS_PREFIX": settings.YACHI_REDIS_PREFIX,
        "YACHI_REALTIME_POLL_SECONDS": str(POLL_SECONDS),
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "yachi.cli", "sockets", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not _answers(port):
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(_output(process))
            time.sleep(0.3)
        yield port, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _answers(port: int) -> bool:
    import http.client

    try:
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        probe.request("GET", "/api/v1/health")
        ok = probe.getresponse().status == 200
        probe.close()
        return ok
    except OSError:
        return False


def _output(process) -> str:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=15)
    return process.stdout.read().decode(errors="replace")


async def _open_all(url: str, count: int):
    import websockets

    async def one():
        socket = await websockets.connect(url, open_timeout=WAIT_SECONDS)
        await socket.send(json.dumps({"type": "ping"}))
        while json.loads(await asyncio.wait_for(socket.recv(), WAIT_SECONDS))["type"] != "pong":
            pass
        return socket

    # All at once, as a waiting room's screens and phones come back after a restart.
    return await asyncio.gather(*(one() for _ in range(count)), return_exceptions=True)


async def _called(socket) -> dict:
    while True:
        message = json.loads(await socket.recv())
        if message.get("type") == "called":
            return message


def test_five_hundred_idle_sockets_on_one_process_all_receive_the_call(socket_server, world):
    port, process = socket_server
    _, secret = display_token_create(
        actor=world.clinic_a_manager, clinic=world.clinic_a, name="候诊区电视"
    )
    ticket = queue.walk_in(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        phone="13900000001",
        name="张小三",
        service=world.cleaning_a,
        doctor=world.clinic_a_doctor,
    )
    line = ticket.queue
    url = f"ws://127.0.0.1:{port}/ws/displays/{world.clinic_a.public_id}/?token={secret}"

    timings = {}

    async def scenario():
        begin = time.monotonic()
        opened = await _open_all(url, SOCKETS)
        timings["open"] = time.monotonic() - begin
        sockets = [s for s in opened if not isinstance(s, BaseException)]
        failures = [repr(s) for s in opened if isinstance(s, BaseException)]
        try:
            assert len(sockets) == SOCKETS, f"{len(failures)} refused: {failures[:3]}"
            # Idle: nothing happens for a moment, then the front desk calls.
            await asyncio.sleep(1)
            called = await asyncio.to_thread(
                queue.call_next, actor=world.clinic_a_front_desk, queue=line, room="3"
            )
            begin = time.monotonic()
            got = await asyncio.gather(
                *(asyncio.wait_for(_called(s), WAIT_SECONDS) for s in sockets),
                return_exceptions=True,
            )
            timings["delivered"] = time.monotonic() - begin
            received = [m for m in got if isinstance(m, dict)]
            assert len(received) == SOCKETS, f"{SOCKETS - len(received)} sockets missed the call"
            assert {m["ticket"]["number"] for m in received} == {called.number}
            assert {m["room"] for m in received} == {"3"}
            assert {m["ticket"]["patient"] for m in received} == {"张*三"}
            assert len({m["seq"] for m in received}) == 1
        finally:
            await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)

    run(scenario)
    print(
        f"500 sockets open in {timings['open']:.1f} s, the call at all in {timings['delivered']:.2f} s"
    )
    log = _output(process)
    assert "Too many connections" not in log
    assert "Traceback" not in log, log[-3000:]
