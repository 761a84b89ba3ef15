"""The restore drill: a backup taken while twenty front desks book visits and take the
money for them, each in its own thread and connection, restored by `yachi restore` into a
fresh data directory (and, on PostgreSQL, a fresh database). Every booking and payment
acknowledged before the backup began is there, the audit trail verifies, and the counts
are the manifest's."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings
from django.db import connection

from conftest import tomorrow_at
from tests.factories import ChairFactory, DoctorFactory, patient_user, weekly_hours
from yachi.booking.services import appointment_book_at_desk
from yachi.compliance.audit import audit_checkpoint
from yachi.operations.backups.services import backup_create, keys_export
from yachi.operations.backups.snapshot import postgres_contents, sqlite_contents
from yachi.operations.tests.helpers import members_of
from yachi.payments import bills
from yachi.payments.choices import Method
from yachi.payments.services import desk_payment_record

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.long]

DESKS = 20
# Visits of 30 minutes in the doctors' hours (09–12, 13–18): 16 a day, three days ahead.
SLOTS = [(9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (11, 30)] + [
    (hour, minute) for hour in range(13, 18) for minute in (0, 30)
]
VISITS_EACH = 3 * len(SLOTS)


def visit_start(number: int):
    hour, minute = SLOTS[number % len(SLOTS)]
    return tomorrow_at(hour, minute, days=1 + number // len(SLOTS))


class Desks:
    """Twenty desks booking and taking cash until told to stop; what each was told
    succeeded is acknowledged, with the moment it was told."""

    def __init__(self, world):
        self.world, self.stop = world, threading.Event()
        self.acknowledged: list[tuple[float, str, uuid.UUID]] = []
        self.errors: list[BaseException] = []
        self._lock = threading.Lock()
        ChairFactory.create_batch(DESKS, clinic=world.clinic_a)
        self.doctors = []
        for _ in range(DESKS):
            doctor = DoctorFactory(clinics=[world.clinic_a])
            weekly_hours(doctor, world.clinic_a)
            self.doctors.append(doctor)
        self.patients = [patient_user(f"1391234{index:04d}") for index in range(DESKS)]
        self.threads = [threading.Thread(target=self._desk, args=(i,)) for i in range(DESKS)]

    def _acknowledge(self, kind: str, public_id) -> None:
        with self._lock:
            self.acknowledged.append((time.monotonic(), kind, public_id))

    def _desk(self, index: int) -> None:
        world, patient = self.world, self.patients[index]
        try:
            for number in range(VISITS_EACH):
                if self.stop.is_set():
                    return
                appointment = appointment_book_at_desk(
                    actor=world.clinic_a_front_desk,
                    doctor=self.doctors[index],
                    service=world.cleaning_a,
                    start=visit_start(number),
                    phone=patient.phone,
                )
                self._acknowledge("appointment", appointment.public_id)
                bill = bills.bill_create(
                    actor=world.clinic_a_front_desk,
                    clinic=world.clinic_a,
                    payer=patient,
                    amount_fen=12000,
                    service=world.cleaning_a,
                )
                paid = desk_payment_record(
                    actor=world.clinic_a_front_desk,
                    intent=bill,
                    method=Method.CASH,
                    tendered_fen=20000,
                )
                self._acknowledge("payment", paid.public_id)
        except BaseException as exc:
            self.errors.append(exc)
        finally:
            connection.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def wait_for(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count and time.monotonic() < deadline:
            assert not self.errors, self.errors
            time.sleep(0.05)


@contextmanager
def checkpoints_meanwhile():
    """The checkpoint job, as often as it can: checkpoints written during the backup too."""
    stop = threading.Event()

    def run():
        try:
            while not stop.wait(0.05):
                audit_checkpoint()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _restore_database():
    """A fresh PostgreSQL database beside the test's, or None on SQLite."""
    if connection.vendor != "postgresql":
        yield None
        return
    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"{base['NAME']}_restore_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = {
        key: value
        for key, value in {
            "host": base.get("HOST"),
            "port": base.get("PORT"),
            "user": base.get("USER"),
            "password": base.get("PASSWORD"),
        }.items()
        if value
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**admin, "dbname": name}
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pool_for_the_desks():
    """A server sizes its pool to its threads (``YACHI_DB_POOL_SIZE``); here the threads
    are the twenty desks, the checkpoint job and the backup."""
    pool = getattr(connection, "pool", None) if connection.vendor == "postgresql" else None
    if pool is None:
        yield
        return
    sizes = (pool.min_size, pool.max_size)
    pool.resize(min_size=sizes[0], max_size=DESKS + 4)
    yield
    pool.resize(*sizes)


@pytest.fixture
def restore_database():
    yield from _restore_database()


def yachi_restore(
    archive: Path, key_file: Path, data_dir: Path, database
) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("YACHI_", "PYTEST_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    environment["YACHI_DATA_DIR"] = str(data_dir)
    if database:
        server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        environment["DATABASE_URL"] = f"{server}/{database['dbname']}"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "yachi.cli", "restore", str(archive), "--keys", str(key_file)],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def restored_rows(data_dir: Path, database) -> tuple[dict, set, dict, set]:
    """Counts per table, appointments, payments' statuses and the charged payments."""
    if database is None:
        reading = sqlite3.connect(data_dir / "yachi.sqlite3")
        query = reading.execute
    else:
        reading = psycopg.connect(**database)
        query = reading.execute
    try:
        counts = (sqlite_contents if database is None else postgres_contents)(reading)[0]
        appointments = {
            uuid.UUID(str(v)) for (v,) in query("SELECT public_id FROM booking_appointment")
        }
        payments = {
            uuid.UUID(str(public_id)): status
            for public_id, status in query("SELECT public_id, status FROM payments_paymentintent")
        }
        charged = {
            uuid.UUID(str(public_id))
            for (public_id,) in query(
                "SELECT i.public_id FROM payments_paymentintent i "
                "JOIN payments_ledgerentry e ON e.intent_id = i.id WHERE e.kind = 'charge'"
            )
        }
    finally:
        reading.close()
    return counts, appointments, payments, charged


def test_a_backup_under_twenty_desks_restores_everything_they_were_told_succeeded(
    world, tmp_path, restore_database, pool_for_the_desks
):
    audit_checkpoint()
    with checkpoints_meanwhile(), Desks(world) as desks:
        desks.wait_for(2 * DESKS)
        began = time.monotonic()
        done = backup_create(to=tmp_path / "archives")
        desks.wait_for(len(desks.acknowledged) + DESKS)  # they kept writing throughout
    assert not desks.errors, desks.errors
    key_file = keys_export(to=tmp_path / "keys")

    restored = yachi_restore(done.path, key_file, tmp_path / "restored", restore_database)

    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "audit trail intact" in restored.stdout
    counts, appointments, payments, charged = restored_rows(tmp_path / "restored", restore_database)
    before = [(kind, public_id) for at, kind, public_id in desks.acknowledged if at < began]
    assert len(before) >= 2 * DESKS
    for kind, public_id in before:
        if kind == "appointment":
            assert public_id in appointments
        else:
            assert payments.get(public_id) == "paid" and public_id in charged
    # Whatever the snapshot caught mid-way is whole: no payment paid without its charge.
    assert {pid for pid, status in payments.items() if status == "paid"} == charged
    manifest = json.loads(members_of(done.path)["manifest.json"])
    assert counts == manifest["counts"]
    assert counts["booking_appointment"] >= sum(1 for kind, _ in before if kind == "appointment")
    print(
        f"drill: {len(before)} acknowledged before the backup, {len(desks.acknowledged)} in all, "
        f"{counts['booking_appointment']} appointments and {len(charged)} payments restored, "
        f"backup {done.run.seconds:.1f} s, {done.size / 2**20:.1f} MB"
    )

    again = yachi_restore(done.path, key_file, tmp_path / "restored", restore_database)
    assert again.returncode != 0 and "nothing changed" in again.stderr
