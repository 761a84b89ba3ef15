"""Booking read and write paths, measured on the demo chain.

    python bench/booking.py            # embedded default: SQLite + file cache
    DATABASE_URL=postgres://… REDIS_URL=redis://… python bench/booking.py
    python bench/booking.py --history 4 # the front-desk calendar also at 4× the history

Builds the demo in a throw-away database (a PostgreSQL one is flushed), then times,
in-process through the full Django stack (middleware, API, ORM, cache; no network):
  * 7-day availability of one doctor, cold (the cache emptied before each read, not
    timed) and warm, with what each read costs the cache: calls to the cache backend and, with Redis, round trips
  * the patient page's grid of the same week (its htmx swap), warm, with the same counts
  * bookings one after another, with their SQL queries, and the same authenticated POST
    refused by its schema (what any booking costs before it reads anything)
  * the front desk's day calendar (all doctors) with its SQL queries, on the demo's
    year of history and again after older years are added (``--history`` times the
    demo's history in all), so a cost that grows with the history shows
Prints one line per figure.
"""

import sys
from pathlib import Path

# Scripts here import each other as the package ``bench``; this folder must leave the
# path, or bench/http.py would stand in for the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

from bench import _common  # noqa: E402

_common.configure()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

setup_test_environment()  # allows the test client on "testserver"

# One demo year is 52 weeks and a day: copies moved by whole 53-week steps keep their
# weekday and never meet the original or each other.
YEAR_STEP = timedelta(weeks=53)
MOMENTS = (
    "start",
    "end",
    "moved_from",
    "confirmed_at",
    "moved_for_emergency_at",
    "arrived_at",
    "treatment_started_at",
    "completed_at",
    "cancelled_at",
    "no_show_at",
)


def queries_of(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries.captured_queries)


def add_older_years(years: int) -> int:
    """Copies of every past appointment moved back one, two… 53-week steps: the clinic's
    history grows (as after years of use) while today and the coming weeks stay as they are."""
    from django.utils import timezone

    from yachi.booking.models import Appointment

    skip = {"id", "public_id", "created_at", "updated_at"}
    fields = [f.attname for f in Appointment._meta.concrete_fields if f.attname not in skip]
    past = list(Appointment.objects.filter(end__lte=timezone.now()).values(*fields))
    added = 0
    for step in range(1, years + 1):
        shift = YEAR_STEP * step
        copies = []
        for row in past:
            copy = dict(row)
            for name in MOMENTS:
                if copy.get(name) is not None:
                    copy[name] = copy[name] - shift
            copies.append(Appointment(**copy))
        Appointment.objects.bulk_create(copies, batch_size=2000)
        added += len(copies)
    return added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--history", type=int, default=4, help="times the demo's history for the second calendar"
    )
    args = parser.parse_args()

    from yachi.accounts.models import User
    from yachi.accounts.services import token_issue
    from yachi.clinics.models import Doctor, Service
    from yachi.compliance.facade import blind_index
    from yachi.demo.builder import build_demo

    print(f"{_common.describe_stores()}; load average {_common.load_average()}")
    _common.empty_stores()
    begin = time.perf_counter()
    summary = build_demo(log=lambda *_: None)
    print(f"demo build: {summary.appointments} appointments in {time.perf_counter() - begin:.1f} s")

    doctor = Doctor.objects.get(user__phone_index=blind_index("phone", "13900000003"))
    service = Service.objects.get(clinic__in=doctor.clinics.all(), code="cleaning")
    client = Client()
    url = f"/api/v1/doctors/{doctor.public_id}/availability"
    params = {"service_id": str(service.public_id), "days": 7}

    def read():
        assert client.get(url, params).status_code == 200

    with _common.counting_cache() as counts:
        for label, runs, prepare in (
            ("availability, 7 days, cold cache", 50, cache.clear),
            ("availability, 7 days, warm cache", 500, None),
        ):
            read()
            if prepare:
                prepare()
            counts.reset()
            queries = queries_of(read)
            trips = counts.round_trips if settings.REDIS_URL else "-"
            _common.timed(
                label,
                runs,
                read,
                extra=f"cache calls={counts.calls} round trips={trips} SQL={queries}",
                prepare=prepare,
            )

    # The patient page's grid (the htmx swap of a day), which reads as the API does.
    patients = list(User.objects.filter(role="patient").order_by("pk")[:200])
    browser = Client()
    browser.force_login(patients[0])
    grid = f"/book/service/{service.public_id}/doctor/{doctor.public_id}/"

    def read_grid():
        assert browser.get(grid, headers={"HX-Request": "true"}).status_code == 200

    with _common.counting_cache() as counts:
        read_grid()
        read_grid()
        counts.reset()
        queries = queries_of(read_grid)
        trips = counts.round_trips if settings.REDIS_URL else "-"
        _common.timed(
            "patient page's grid (htmx), 7 days, warm cache",
            200,
            read_grid,
            extra=f"cache calls={counts.calls} round trips={trips} SQL={queries}",
        )

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

    # The first booking with the doctor on a day reads their roster and the chairs; the
    # next ones find them in the process's memory while the versions hold (ADR 0036).
    first = queries_of(book)
    booked = queries_of(book)
    runs = min(60, len(free) // 2 - 2)
    with _common.counting_cache() as counts, _common.database_cpu() as database:
        _common.timed(
            "booking (POST /appointments)",
            runs,
            book,
            extra=f"SQL={booked} (the first with the doctor that day: {first})",
        )
    if settings.REDIS_URL:
        print(f"  each booking: {counts.round_trips / runs:.1f} Redis round trips", flush=True)
    if database["ms"] is not None:
        print(
            f"  each booking: {database['ms'] / runs:.2f} ms CPU of PostgreSQL's backend",
            flush=True,
        )

    # The floor under any booking: the same authenticated POST refused by its schema
    # (token, middleware, Ninja; no SQL).
    def refused():
        index = next(turn)
        response = client.post(
            "/api/v1/appointments",
            {"doctor_id": str(doctor.public_id)},
            content_type="application/json",
            headers={"Authorization": f"Bearer {tokens[index]}"},
        )
        assert response.status_code == 422, response.content

    _common.timed(
        "the same POST refused by its schema (the floor)",
        min(60, len(tokens) - runs - 4),
        refused,
        extra=f"SQL={queries_of(refused)}",
    )
    # What the bookings left to the job consumer: their confirmations and reminders.
    from huey.contrib.djhuey import HUEY

    queued = [task for task in iter(HUEY.dequeue, None) if "plan_booking_messages" in task.name]
    if len(queued) > 1:
        jobs = iter(queued)

        def plan():
            next(jobs).execute()

        _common.timed(
            "booking's messages, planned by the job consumer",
            len(queued) - 1,
            plan,
            extra=f"SQL={queries_of(plan)}",
        )

    desk = Client()
    desk.force_login(User.objects.by_phone("13700000001").get())
    clinic = doctor.clinics.first()
    calendar = f"/console/clinic/{clinic.public_id}/calendar/"

    def day_calendar():
        assert desk.get(calendar).status_code == 200

    from yachi.booking.models import Appointment

    for times in sorted({1, max(1, args.history)}):
        if times > 1:
            added = add_older_years(times - 1)
            print(f"history × {times}: {added} older appointments added")
        history = Appointment.objects.filter(clinic=clinic).count()
        day_calendar()
        _common.timed(
            f"front desk day calendar, history × {times}",
            50,
            day_calendar,
            extra=f"SQL={queries_of(day_calendar)} appointments of the clinic={history}",
        )
    print(f"load average {_common.load_average()}")


if __name__ == "__main__":
    main()
