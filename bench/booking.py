"""Booking read and write paths, measured on the demo chain.

    python bench/booking.py            # embedded default: SQLite + file cache
    DATABASE_URL=postgres://… REDIS_URL=redis://… python bench/booking.py

Builds the demo in a throw-away database, then times, in-process through the full
Django stack (middleware, API, ORM, cache; no network):
  * 7-day availability of one doctor, cold (cache emptied) and warm
  * bookings one after another
  * the front desk's day calendar
Prints one line per figure.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("YACHI_DATA_DIR", tempfile.mkdtemp(prefix="yachi-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("YACHI_SMS_PROVIDER", "memory")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # allows the test client on "testserver"


def timed(label: str, runs: int, action) -> list[float]:
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        action()
        samples.append((time.perf_counter() - begin) * 1000)
    samples.sort()
    p50 = statistics.median(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<46} n={runs:<5} p50={p50:7.2f} ms  p95={p95:7.2f} ms  {1000 / p50:8.0f}/s")
    return samples


def main() -> None:
    from yachi.accounts.models import User
    from yachi.accounts.services import token_issue
    from yachi.clinics.models import Doctor, Service
    from yachi.compliance.facade import blind_index
    from yachi.demo.builder import build_demo

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database: {engine}; cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
    call_command("migrate", verbosity=0)
    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    begin = time.perf_counter()
    summary = build_demo(log=lambda *_: None)
    print(f"demo build: {summary.appointments} appointments in {time.perf_counter() - begin:.1f} s")

    doctor = Doctor.objects.get(user__phone_index=blind_index("phone", "13900000003"))
    service = Service.objects.get(clinic__in=doctor.clinics.all(), code="cleaning")
    client = Client()
    url = f"/api/v1/doctors/{doctor.public_id}/availability"
    params = {"service_id": str(service.public_id), "days": 7}

    def cold():
        cache.clear()
        assert client.get(url, params).status_code == 200

    timed("availability, 7 days, cold cache", 50, cold)
    timed("availability, 7 days, warm cache", 500, lambda: client.get(url, params))

    patients = list(User.objects.filter(role="patient").order_by("pk")[:200])
    tokens = [token_issue(user=p, label="bench") for p in patients]
    days = client.get(url, {**params, "days": 14}).json()["days"]
    free = [slot["start"] for day in days[1:] for slot in day["slots"]]
    # Non-overlapping starts: a cleaning lasts 30 minutes, slots come every 15.
    starts = iter(free[::2])
    turn = iter(range(len(tokens)))

    def book():
        index = next(turn)
        response = client.post(
            "/api/v1/appointments",
            {
                "doctor_id": str(doctor.public_id),
                "service_id": str(service.public_id),
                "start": next(starts),
            },
            content_type="application/json",
            headers={"Authorization": f"Bearer {tokens[index]}"},
        )
        assert response.status_code in (201, 409), response.content

    timed("booking (POST /appointments)", min(60, len(free) // 2), book)

    desk = Client()
    desk.force_login(User.objects.by_phone("13700000001").get())
    clinic = doctor.clinics.first()
    calendar = f"/console/clinic/{clinic.public_id}/calendar/"
    timed("front desk day calendar (all doctors)", 50, lambda: desk.get(calendar))


if __name__ == "__main__":
    main()
