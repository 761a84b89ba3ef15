"""The benches' own set-up keeps measuring what it says: the people, sales and times
bench/http.py sends requests for are accepted by the API the way a real patient's are,
and the API's short middleware stack (bench/lean_wsgi.py) answers as the full one does.

The figures themselves are never asserted (docs/benchmarks.md).
"""

import itertools
import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, RequestFactory
from django.utils import timezone

from bench import _common
from yachi.clinics.models import Service


def _wsgi_get(handler, path: str):
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(handler(RequestFactory().get(path).environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.mark.django_db
def test_the_api_middleware_stack_answers_health_with_the_same_body_and_security_headers():
    full = _wsgi_get(WSGIHandler(), "/api/v1/health")
    lean = _wsgi_get(_common.middleware_handler(_common.API_MIDDLEWARE), "/api/v1/health")

    assert full[0] == lean[0] == "200 OK"
    assert json.loads(lean[2]) == json.loads(full[2]) == {"status": "ok"}
    for header in ("X-Frame-Options", "X-Content-Type-Options", "Content-Security-Policy"):
        assert lean[1].get(header) == full[1].get(header), header


@pytest.mark.django_db
def test_the_api_middleware_stack_still_answers_unknown_paths_in_json():
    status, _, body = _wsgi_get(
        _common.middleware_handler(_common.API_MIDDLEWARE), "/api/v1/no-such-thing"
    )

    assert status.startswith("404")
    assert set(json.loads(body)) == {"code", "message"}


@pytest.mark.django_db
def test_a_bench_patient_refused_by_a_sold_out_sale_changes_nothing():
    clinic = _common.bench_clinic()
    (winner, _), (buyer, token) = _common.patients_with_tokens(2)
    sale = _common.sold_out_sale(clinic=clinic, buyer=winner)
    reservations = sale.reservations.count()

    answer = Client().post(
        f"/api/v1/flash-sales/{sale.public_id}/reserve",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert answer.status_code == 409, answer.content
    assert answer.json()["code"] == "sold_out"
    sale.refresh_from_db()
    assert sale.remaining == 0
    assert sale.reservations.count() == reservations == 1
    assert not sale.reservations.filter(buyer=buyer).exists()


@pytest.mark.django_db
def test_a_bench_patient_books_a_free_time_of_a_bench_doctor():
    clinic = _common.bench_clinic(chairs=2)
    doctors = _common.rostered_doctors(clinic=clinic, count=2)
    ((_, token),) = _common.patients_with_tokens(1)
    zone = ZoneInfo(clinic.timezone)
    tomorrow = timezone.now().astimezone(zone).date() + timedelta(days=1)
    doctor, start = _common.free_starts(doctors=doctors, first_day=tomorrow, days=1, zone=zone)[0]
    service = Service.objects.get(clinic=clinic, code="cleaning")

    answer = Client().post(
        "/api/v1/appointments",
        {"doctor_id": str(doctor.public_id), "service_id": str(service.public_id), "start": start},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "booked"
    assert answer.json()["doctor"]["id"] == str(doctor.public_id)


def test_free_starts_give_each_doctor_every_half_hour_of_the_roster_once():
    zone = ZoneInfo("Asia/Shanghai")
    day = timezone.now().astimezone(zone).date() + timedelta(days=1)
    doctors = ["first", "second"]

    starts = _common.free_starts(doctors=doctors, first_day=day, days=3, zone=zone)

    assert len(starts) == len(set(starts)) == 2 * 3 * 16
    for doctor in doctors:
        times = sorted(start for who, start in starts if who == doctor)
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert min(gaps) >= timedelta(minutes=30)
    # Sent one after another, neighbours are on different days: no queue on one chair.
    assert starts[0][1].date() != starts[1][1].date()


def test_counting_cache_counts_one_call_per_cache_call_and_redis_round_trips():
    with _common.counting_cache() as counts:
        cache.set_many({"bench:a": 1, "bench:b": 2})
        assert cache.get_many(["bench:a", "bench:b", "bench:c"]) == {"bench:a": 1, "bench:b": 2}

    assert counts.calls == 2
    # A Redis cache sends each call as one command or one pipeline; a file cache sends none.
    assert counts.round_trips == (2 if settings.REDIS_URL else 0)
    cache.get("bench:a")
    assert counts.calls == 2  # counting stopped with the block


def test_counting_cache_counts_the_redis_commands_a_pipeline_carries():
    if not settings.REDIS_URL:
        pytest.skip("no Redis here")
    client = redis.Redis.from_url(settings.REDIS_URL)
    with _common.counting_cache() as counts:
        with client.pipeline() as pipe:
            pipe.set("bench:x", 1).get("bench:x").delete("bench:x").execute()
        client.exists("bench:x")
    assert (counts.commands, counts.round_trips) == (4, 2)
