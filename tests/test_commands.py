"""The operator's `yachi` command: token, demo and serve."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid

import httpx
import pytest
from django.core.management import CommandError, call_command

from conftest import unused_port
from tests.db import templates
from tests.sockets import run
from yachi.accounts.services import token_user


def test_token_prints_one_working_token_per_phone(world, capsys):
    from yachi.compliance.models import AuditEntry

    call_command("token", world.patient_parent.phone, world.clinic_a_doctor.user.phone)
    lines = capsys.readouterr().out.split()
    assert len(lines) == 2
    assert token_user(lines[0]) == world.patient_parent
    assert token_user(lines[1]) == world.clinic_a_doctor.user
    issued = AuditEntry.objects.filter(action="token_issued").values_list("actor", flat=True)
    assert sorted(issued) == sorted(
        [str(world.patient_parent.public_id), str(world.clinic_a_doctor.user.public_id)]
    )


def test_token_for_an_unknown_phone_fails_and_issues_nothing(world, capsys):
    from yachi.accounts.models import ApiToken

    with pytest.raises(CommandError, match="13999999999"):
        call_command("token", world.patient_parent.phone, "13999999999")
    assert not ApiToken.objects.exists()
    assert capsys.readouterr().out == ""


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_demo_builds_a_believable_chain_once(capsys):
    from datetime import timedelta

    from django.utils import timezone

    from yachi.accounts.models import User
    from yachi.booking.models import Appointment
    from yachi.clinics.models import Clinic, Doctor
    from yachi.core.roles import Role
    from yachi.demo.builder import PATIENT_COUNT
    from yachi.patients.models import Patient

    call_command("demo", no_serve=True)
    assert Clinic.objects.count() == 2
    assert Doctor.objects.count() >= 8
    patients = User.objects.filter(role=Role.PATIENT).order_by("pk")
    assert patients.count() == PATIENT_COUNT >= 300
    assert (patients.first().phone, patients.last().phone) == (
        "13800000001",
        f"138{PATIENT_COUNT:08d}",
    )
    assert Patient.objects.count() > 3000
    from yachi.clinics.facade import role_at

    clinics = list(Clinic.objects.order_by("pk"))
    doctor = User.objects.by_phone("13900000001").get()
    assert role_at(doctor, next(c for c in clinics if role_at(doctor, c))) == "doctor"
    desk = User.objects.by_phone("13700000001").get()
    assert [role_at(desk, c) for c in clinics] == ["front_desk", None]
    # One person manages 静安 and works at 徐汇's front desk; a regional manager has both.
    mixed = User.objects.by_phone("13700000003").get()
    assert [role_at(mixed, c) for c in clinics] == ["manager", "front_desk"]
    regional = User.objects.by_phone("13700000006").get()
    assert [role_at(regional, c) for c in clinics] == ["regional_manager"] * 2
    assert Patient.objects.filter(seat__gt=0).count() > 50
    year_ago = timezone.now() - timedelta(days=330)
    history = Appointment.objects.filter(start__lt=year_ago)
    assert history.filter(status="completed").exists()
    assert Appointment.objects.filter(status="no_show").count() > 100
    assert Appointment.objects.filter(status="cancelled").count() > 100
    assert Appointment.objects.filter(start__gt=timezone.now(), status="booked").exists()
    from yachi.shop.models import Product, Stock

    assert 8 <= Product.objects.count() <= 12
    assert Stock.objects.filter(clinic__in=Clinic.objects.all(), quantity__gt=0).count() > 20
    # The first demo patients have coupons and points to show.
    from yachi.growth.facade import points_balance
    from yachi.growth.models import Coupon

    first = patients.first()
    assert Coupon.objects.filter(owner=first).count() >= 2 and points_balance(user=first) > 0
    # Their visit history: what the doctor shared, and paid bills with receipts.
    from yachi.booking.history.selectors import visit_history
    from yachi.patients.facade import account_of

    visits = visit_history(account=account_of(first))
    assert any(v.notes and v.notes[0].advice for v in visits)
    assert any(b.has_receipt for v in visits for b in v.bills)
    from yachi.shop.models import FlashSale

    sale = FlashSale.objects.get()  # always on at the first clinic
    assert (sale.places, sale.remaining, sale.per_person_limit, sale.price_fen) == (
        100,
        100,
        1,
        990,
    )
    assert sale.clinic == Clinic.objects.order_by("pk").first()
    assert sale.starts_at < timezone.now() < sale.ends_at - timedelta(days=365)
    output = capsys.readouterr().out
    assert "13800000001" in output and "/console/" in output
    # The waiting-room display's link, made for this start (静安's board).
    assert "/display/" in output and "?token=yd_" in output
    # Staff activity is in a fresh demo's audit trail, and the trail verifies.
    # A demo manager gets in with the printed authenticator key.
    import pyotp

    from yachi.accounts.staff_auth import staff_token_login
    from yachi.compliance.audit import audit_verify
    from yachi.compliance.models import AuditEntry
    from yachi.demo.builder import DEMO_TOTP_SECRET, STAFF_PASSWORD

    manager = staff_token_login(
        phone="13700000003",
        password=STAFF_PASSWORD,
        otp=pyotp.TOTP(DEMO_TOTP_SECRET).now(),
        ip=None,
    )
    assert manager.role == Role.STAFF

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"login", "login_failed", "clinical_read", "clinical_write"} <= actions
    assert audit_verify().intact

    # An emergency finds a doctor on duty or on call at any hour of the week.
    assert_emergency_doctors_around_the_clock()

    count = Appointment.objects.count()
    call_command("demo", no_serve=True)
    assert Appointment.objects.count() == count
    assert "already present" in capsys.readouterr().out


@pytest.mark.long
@pytest.mark.embedded
def test_serve_migrates_and_answers_health(tmp_path):
    """`yachi serve` on a brand-new data directory: migrate, then serve over HTTP."""
    env = {
        **os.environ,
        "YACHI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["PYTHONUNBUFFERED"] = "1"  # what it printed, if it fails to start
    port, socket_port = unused_port(), unused_port()
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "yachi.cli",
            "serve",
            "--port",
            str(port),
            "--socket-port",
            str(socket_port),
            "--no-jobs",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120  # a busy machine starts slowly
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()  # so that its output ends and can be read
                    raise AssertionError(process.stdout.read().decode()) from None
                time.sleep(0.3)
        assert response.json() == {"status": "ok"}
        assert (tmp_path / "yachi.sqlite3").exists()
        # The first page of a new process draws its templates for the first time: on a busy
        # machine that took more than 5 s. A bound on a hang, not a speed asserted.
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=60)
        assert page.status_code == 200
        assert "牙齿口腔" in page.text
        # WebSockets on the socket port, which pages and the API are told of (ADR 0046).
        sockets = f"ws://127.0.0.1:{socket_port}"
        assert f'<meta name="yachi-realtime" content="{sockets}">' in page.text
        answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/realtime", timeout=60)
        assert answer.json() == {"realtime_url": sockets}
        assert_socket_refused(f"{sockets}/ws/displays/{uuid.uuid4()}/?token=yd_made_up")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # nothing outlives a failed test


def assert_socket_refused(url: str) -> None:
    """The socket server routes ``url`` to its consumer, which refuses it: closed with
    4403 after the upgrade (not a failed upgrade, which a server without the route gives)."""
    import asyncio

    import websockets

    async def attempt():
        deadline = time.monotonic() + 60
        while True:
            try:
                async with websockets.connect(url, open_timeout=10) as socket:
                    with contextlib.suppress(websockets.ConnectionClosed):
                        await asyncio.wait_for(socket.recv(), 10)
                    return socket.close_code
            except OSError:
                if time.monotonic() > deadline:  # the socket server starts beside granian
                    raise
                await asyncio.sleep(0.3)

    assert run(attempt) == 4403


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.long
@pytest.mark.embedded
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads processes from /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "kill -9"])
def test_the_job_consumer_stops_with_the_server(tmp_path, stop):
    """However `yachi serve` ends, its job consumer and its socket server do not run on
    alone."""
    env = {
        **os.environ,
        "YACHI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["YACHI_JOBS_IMMEDIATE"] = "0"
    # A server that has run here before: the first start's migration is the test above's.
    templates.served_data_dir(tmp_path, env)
    port = unused_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "yachi.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:

        def companion(command: bytes) -> int | None:
            for child in children_of(server.pid):
                with open(f"/proc/{child}/cmdline", "rb") as cmdline:
                    args = cmdline.read().split(b"\0")
                if b"yachi.cli" in args and command in args:  # not a web worker
                    return child
            return None

        def serving() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).is_success
            except httpx.TransportError:
                return False

        # A server that is up and serving, as one is stopped (a busy machine starts slowly).
        assert wait_until(serving, 90), "the server did not start"
        jobs, sockets = companion(b"jobs"), companion(b"sockets")
        assert jobs is not None, "no job consumer started"
        assert sockets is not None, "no socket server started"
        server.send_signal(stop)
        server.wait(timeout=60)
        assert wait_until(lambda: not alive(jobs), 30), "the job consumer outlived the server"
        assert wait_until(lambda: not alive(sockets), 30), "the socket server outlived the server"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # whatever else the server left


def assert_emergency_doctors_around_the_clock():
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    from yachi.booking.emergency.services import candidates

    zone = ZoneInfo("Asia/Shanghai")
    midnight = datetime.combine(datetime.now(zone).date(), datetime.min.time(), tzinfo=zone)
    for hour in range(0, 24 * 7, 5):
        moment = midnight + timedelta(hours=hour, minutes=7)
        with time_machine.travel(moment, tick=False):
            found = candidates(latitude=31.23, longitude=121.47, now=moment, exclude=set())
        assert found, f"nobody on duty at {moment:%a %H:%M}"
