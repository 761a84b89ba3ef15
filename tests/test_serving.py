"""`yachi serve` under a rush: 64 connections at once against the real server (granian,
WSGI, two workers) on PostgreSQL, and not one answer is a 5xx. The pool is sized to the
server's threads, so no request waits for a database connection and times out.

A few seconds of load; the figure is not asserted, only that every answer is right.
"""

import collections
import http.client
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection

from conftest import own_database_url, unused_port

CONNECTIONS = 64
SECONDS = 3


@pytest.fixture
def server(db):
    if connection.vendor != "postgresql":
        pytest.skip("the pool under load is PostgreSQL's")
    port = unused_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": own_database_url(),
        "YACHI_WEB_WORKERS": "2",
        "YACHI_WEB_THREADS": "4",
        "YACHI_DB_POOL_TIMEOUT_SECONDS": "2",
    }
    env.pop("YACHI_DB_POOL_SIZE", None)  # sized to the threads, as shipped
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "yachi.cli", "serve", "--port", str(port), "--no-jobs"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120  # a busy machine starts slowly
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/api/v1/health")
                assert probe.getresponse().status == 200
                probe.close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(process.stdout.read().decode()) from None
                time.sleep(0.3)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_sixty_four_connections_get_no_server_error(server):
    statuses = collections.Counter()
    failures = []
    lock = threading.Lock()
    barrier = threading.Barrier(CONNECTIONS)
    # /clinics reads the database on every request, /health does not.
    paths = ["/api/v1/clinics", "/api/v1/health"]

    def client(index):
        conn = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
        barrier.wait()
        stop = time.monotonic() + SECONDS
        seen = collections.Counter()
        try:
            while time.monotonic() < stop:
                conn.request("GET", paths[index % 2])
                response = conn.getresponse()
                response.read()
                seen[response.status] += 1
        except OSError as exc:
            with lock:
                failures.append(repr(exc))
        finally:
            conn.close()
        with lock:
            statuses.update(seen)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures
    assert set(statuses) == {200}, statuses
    assert sum(statuses.values()) >= CONNECTIONS
