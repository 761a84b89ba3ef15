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
from dataclasses import dataclass

import httpx
import psycopg
import pytest
from django.db import connection
from django.test import Client

from conftest import own_database_url, tomorrow_at
from tests.drills.servers import own_postgres, python_env, wait_until, yachi_serve
from tests.factories import consent_all, patient_user
from yachi.accounts.services import token_issue

pytestmark = [pytest.mark.long, pytest.mark.django_db(transaction=True)]

PATIENTS = 4
OUTAGE_SECONDS = 2
# The pool tries to connect again after 1 s, then 2 s, 4 s… (psycopg_pool's back-off):
# the first new connection may come a few seconds after PostgreSQL does.
RECOVERY_SECONDS = 30


def _slots(patient: int):
    """Each patient's own times with the one doctor: none of them can clash."""
    for day in range(3):
        for hour in (9, 10, 11, 13, 14, 15, 16, 17):
            for minute in (0, 30):
                yield tomorrow_at(hour, minute, days=3 * patient + day + 1)


@dataclass
class Answer:
    patient: int
    kind: str  # "api" (a booking) or "page"
    sent: float  # time.monotonic()
    answered: float
    status: int
    body: object  # the JSON, or the page's text
    headers: httpx.Headers
    request: tuple | None  # what book() was given, to send it again


class Load:
    """Patients booking one slot after another and opening a page, each from a thread
    of their own, until told to stop; every answer is kept."""

    def __init__(self, port: int, world, tokens, cookies):
        self.base = f"http://127.0.0.1:{port}"
        self.world = world
        self.tokens = tokens
        self.cookies = cookies
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        # From when the database is back: each patient's bookings served in a row since.
        self.back_at = float("inf")
        self.served_in_a_row = [0] * len(tokens)

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
        page = f"/doctors/{self.world.clinic_a_doctor.public_id}/"
        with httpx.Client(base_url=self.base, timeout=30, cookies=self.cookies[index]) as client:
            for start in _slots(index):
                if self.stopping.is_set():
                    return
                request = (token, start, uuid.uuid4().hex)
                sent = time.monotonic()
                answer = self._keep(index, "api", sent, self.book(client, *request), request)
                if sent > self.back_at:
                    served = answer.status == 201
                    self.served_in_a_row[index] = self.served_in_a_row[index] + 1 if served else 0
                sent = time.monotonic()
                self._keep(index, "page", sent, client.get(page), None)
                time.sleep(0.05)

    def _keep(self, patient, kind, sent, response, request) -> Answer:
        is_json = response.headers.get("content-type", "").startswith("application/json")
        answer = Answer(
            patient=patient,
            kind=kind,
            sent=sent,
            answered=time.monotonic(),
            status=response.status_code,
            body=response.json() if is_json else response.text,
            headers=response.headers,
            request=request,
        )
        with self.lock:
            self.answers.append(answer)
        return answer

    def recovered(self) -> bool:
        return all(count >= 2 for count in self.served_in_a_row)

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
        cluster.copy_database(own_database_url(), "yachi")
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
            wait_until(lambda: len(load.answers) >= 2 * PATIENTS, what="the load", timeout=30)
            cluster.stop("fast")
            time.sleep(OUTAGE_SECONDS)
            cluster.start()
            load.back_at = time.monotonic()
            # Back by itself: every patient's next bookings are served, with no restart.
            wait_until(load.recovered, what="the server to serve again", timeout=RECOVERY_SECONDS)
            load.stop()

            answers = load.answers
            statuses = Counter((a.kind, a.status) for a in answers)
            # Served, or a clear 503 (the outage met on both): never a 500, never a refusal.
            assert set(statuses) <= {("api", 201), ("api", 503), ("page", 200), ("page", 503)}
            assert statuses["api", 503] and statuses["page", 503], statuses
            for answer in (a for a in answers if a.status == 503):
                assert int(answer.headers["retry-after"]) > 0
                if answer.kind == "api":
                    assert answer.body["code"] == "unavailable" and answer.body["message"]
                else:
                    assert "请稍候" in answer.body and "Traceback" not in answer.body
            for patient in range(PATIENTS):
                last = [a for a in answers if a.patient == patient][-1]
                assert last.status in (200, 201), last

            # Every booking answered 503 is retried with its key: made now, or found made.
            bookings = [a for a in answers if a.kind == "api"]
            booked = {a.body["id"] for a in bookings if a.status == 201}
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                for answer in (a for a in bookings if a.status == 503):
                    retry = load.book(client, *answer.request)
                    assert retry.status_code == 201, retry.text
                    booked.add(retry.json()["id"])

        with psycopg.connect(cluster.url("yachi")) as db:
            rows = db.execute(
                "SELECT public_id::text FROM booking_appointment WHERE doctor_id = %s",
                [world.clinic_a_doctor.pk],
            ).fetchall()
    assert sorted(booked) == sorted(row[0] for row in rows)
    assert len(booked) == len(bookings)
