"""PostgreSQL restarted under a booking load (ADR 0040).

A cluster of the drill's own (initdb, pg_ctl) holds a copy of the test database;
`yachi serve` runs on it while patients keep booking, and the cluster is stopped for
a moment and started again. Every request during the outage answers 503 with
``Retry-After`` (JSON on the API, a friendly page on pages), never a 500; the server
serves again by itself once PostgreSQL is back; and every request answered 503 is
retried with its ``Idempotency-Key``: each booking is in the database exactly once,
under the answer its patient got, or not at all.
"""

import threading
import time
import uuid
from collections import Counter

import httpx
import psycopg
import pytest
from django.db import connection
from django.test import Client

from conftest import tomorrow_at
from tests.drills.conftest import drill_database_url
from tests.drills.servers import own_postgres, python_env, yachi_serve
from tests.factories import consent_all, patient_user
from yachi.accounts.services import token_issue

pytestmark = [pytest.mark.long, pytest.mark.django_db(transaction=True)]

PATIENTS = 4
OUTAGE_SECONDS = 1.5


def _slots(patient: int):
    """Each patient's own times with the one doctor: none of them can clash."""
    for hour in (9, 10, 11, 13, 14, 15, 16, 17):
        for minute in (0, 30):
            yield tomorrow_at(hour, minute, days=patient + 1)


class Load:
    """Patients booking one slot after another, each from a thread of their own, until
    told to stop; every answer is kept with the time it came."""

    def __init__(self, port: int, world, tokens, cookies):
        self.base = f"http://127.0.0.1:{port}"
        self.world = world
        self.tokens = tokens
        self.cookies = cookies
        self.answers = []  # (monotonic time, kind, status, body or text, headers, request)
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def book(self, client, token, start, key):
        body = {
            "doctor_id": str(self.world.clinic_a_doctor.public_id),
            "service_id": str(self.world.cleaning_a.public_id),
            "start": start.isoformat(),
        }
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
        return client.post("/api/v1/appointments", json=body, headers=headers)

    def _patient(self, index: int):
        token = self.tokens[index]
        with httpx.Client(base_url=self.base, timeout=30, cookies=self.cookies[index]) as client:
            for start in _slots(index):
                if self.stopping.is_set():
                    return
                key = uuid.uuid4().hex
                response = self.book(client, token, start, key)
                self._keep("api", response, (token, start, key))
                page = client.get(f"/doctors/{self.world.clinic_a_doctor.public_id}/")
                self._keep("page", page, None)
                time.sleep(0.05)

    def _keep(self, kind, response, request):
        is_json = response.headers.get("content-type", "").startswith("application/json")
        body = response.json() if is_json else response.text
        with self.lock:
            self.answers.append(
                (time.monotonic(), kind, response.status_code, body, response.headers, request)
            )

    def run(self):
        self.threads = [
            threading.Thread(target=self._patient, args=(i,)) for i in range(len(self.tokens))
        ]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the drill restarts a PostgreSQL cluster of its own (the SQLite run has none)")


def test_bookings_during_a_postgresql_restart_get_503_and_none_is_half_written(postgresql, world):
    patients = [patient_user(f"1390000{index:04d}") for index in range(PATIENTS)]
    for patient in patients:
        consent_all(patient)
    tokens = [token_issue(user=patient, label="drill") for patient in patients]
    cookies = []
    for patient in patients:
        browser = Client()
        browser.force_login(patient)
        cookies.append({"sessionid": browser.cookies["sessionid"].value})
    with own_postgres() as cluster:
        cluster.copy_database(drill_database_url(), "yachi")
        env = python_env(
            DATABASE_URL=cluster.url("yachi"),
            YACHI_WEB_WORKERS="1",
            YACHI_WEB_THREADS="4",
            YACHI_DB_POOL_TIMEOUT_SECONDS="1",
            YACHI_REDIS_PREFIX=f"drill{uuid.uuid4().hex[:8]}",
        )
        with yachi_serve(env) as port:
            load = Load(port, world, tokens, cookies)
            load.run()
            time.sleep(1)
            down_at = time.monotonic()
            cluster.stop("fast")
            time.sleep(OUTAGE_SECONDS)
            cluster.start()
            up_at = time.monotonic()
            time.sleep(2.5)
            load.stop()

            answers = load.answers
            statuses = Counter((kind, status) for _, kind, status, *_ in answers)
            assert not [a for a in answers if a[2] >= 500 and a[2] != 503], statuses
            outage = [a for a in answers if down_at + 0.2 < a[0] < up_at]
            assert outage and all(a[2] == 503 for a in outage), statuses
            for _, kind, _, body, headers, _ in (a for a in answers if a[2] == 503):
                assert int(headers["retry-after"]) > 0
                if kind == "api":
                    assert body["code"] == "unavailable" and body["message"]
                else:
                    assert "请稍候" in body and "Traceback" not in body
            # Back by itself: the last second of the load is served as usual.
            last = [a for a in answers if a[0] > up_at + 1.5]
            assert last and {a[2] for a in last} <= {200, 201}, statuses

            # Every booking answered 503 is retried with its key: made now, or found made.
            booked = {a[3]["id"] for a in answers if a[1] == "api" and a[2] == 201}
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                for *_, request in (a for a in answers if a[1] == "api" and a[2] == 503):
                    retry = load.book(client, *request)
                    assert retry.status_code == 201, retry.text
                    booked.add(retry.json()["id"])

        with psycopg.connect(cluster.url("yachi")) as db:
            rows = db.execute(
                "SELECT public_id::text FROM booking_appointment WHERE doctor_id = %s",
                [world.clinic_a_doctor.pk],
            ).fetchall()
    assert sorted(booked) == sorted(row[0] for row in rows)
    assert len(booked) == len([a for a in answers if a[1] == "api"])
