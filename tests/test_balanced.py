"""The races hold when requests are spread over several instances behind the balancer.

Two `yachi serve` instances (two worker processes each, metrics of their own) share the
test's PostgreSQL database and Redis behind haproxy with deploy/haproxy.cfg,
started by deploy/balanced.py: the set-up docs/deployment.md describes, on one machine.
Nothing but the database and Redis is shared between the instances, so whatever a
process remembered alone (tokens, a sale, its belief that a sale is sold out) would show
here as a double booking, an oversold place or a second order (ADR 0041).

PostgreSQL + Redis only: SQLite and the file cache serve the processes of one instance.
"""

import shutil
import threading
import time
from collections import Counter

import httpx
import pytest
from django.conf import settings
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from conftest import own_database_url, tomorrow_at, unused_port
from deploy import balanced as balanced_setup
from tests.factories import UserFactory, patient_user
from yachi.accounts.services import token_issue
from yachi.booking.choices import ACTIVE_STATUSES
from yachi.booking.models import Appointment
from yachi.booking.tests.test_emergency import ask, city  # noqa: F401  (a fixture)
from yachi.shop.flash import store as flash_store
from yachi.shop.models import FlashReservation, Order
from yachi.shop.tests.test_flash import holding, make_sale, redis_agrees, remaining

pytestmark = pytest.mark.django_db(transaction=True)

METRICS_TOKEN = "balanced-metrics-token-0123456789"


@pytest.fixture(scope="module")
def balancer(django_db_setup, django_db_blocker, tmp_path_factory):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("several instances share PostgreSQL and Redis; SQLite serves one instance")
    if shutil.which("haproxy") is None:
        pytest.skip("haproxy is not installed (make install-test installs it)")
    with django_db_blocker.unblock():
        database_url = own_database_url()
    directory = tmp_path_factory.mktemp("balanced")
    running = balanced_setup.start(
        database_url=database_url,
        redis_url=settings.REDIS_URL,
        port=unused_port(),
        instance_ports=[unused_port(), unused_port()],
        directory=directory,
        # A bound on a hang, not a wait: two instances start one after the other beside the
        # suite's other test processes (57 s at a load of 9).
        timeout=240,
        environment={
            # What the test process encrypts with and names its Redis keys by.
            "YACHI_KEYS_FILE": str(settings.DATA_DIR / "keys.json"),
            "YACHI_REDIS_PREFIX": settings.YACHI_REDIS_PREFIX,
            "YACHI_METRICS_TOKEN": METRICS_TOKEN,
        },
    )
    yield running
    running.stop()


def _fire(url: str, requests: list[tuple[str, str, dict | None, dict]]) -> list[tuple[int, str]]:
    """Every request at the same instant, each from its own thread and connection."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def attempt(index, method, path, body, headers):
        with httpx.Client(base_url=url, timeout=60) as client:
            barrier.wait()
            response = client.request(method, path, json=body, headers=headers)
            try:
                results[index] = (response.status_code, response.json().get("code"))
            except ValueError:
                results[index] = (response.status_code, response.text[:300])

    threads = [
        threading.Thread(target=attempt, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _bearer(user) -> dict:
    return {"Authorization": f"Bearer {token_issue(user=user, label='test')}"}


def _answered_by_instance(balancer, method: str, route: str) -> list[float]:
    """How many requests to a route each instance answered (its /metrics, all its workers)."""
    counts = []
    for index in range(len(balancer.instance_ports)):
        response = httpx.get(
            f"{balancer.instance_url(index)}/metrics",
            headers={"Authorization": f"Bearer {METRICS_TOKEN}"},
        )
        assert response.status_code == 200
        total = 0.0
        for family in text_string_to_metric_families(response.text):
            for sample in family.samples:
                if (
                    sample.name == "yachi_http_requests_total"
                    and sample.labels["method"] == method
                    and sample.labels["route"] == route
                ):
                    total += sample.value
        counts.append(total)
    return counts


def test_thirty_bookings_of_one_slot_over_two_instances_let_exactly_one_through(balancer, world):
    before = _answered_by_instance(balancer, "POST", "/api/v1/appointments")
    body = {
        "doctor_id": str(world.clinic_a_doctor.public_id),
        "service_id": str(world.cleaning_a.public_id),
        "start": tomorrow_at(10).isoformat(),
    }
    requests = [
        ("POST", "/api/v1/appointments", body, _bearer(patient_user(f"1390000{i:04d}")))
        for i in range(30)
    ]

    outcomes = Counter(_fire(balancer.url, requests))

    assert outcomes == {(201, None): 1, (409, "slot_taken"): 29}, outcomes
    booked = Appointment.objects.filter(doctor=world.clinic_a_doctor, status__in=ACTIVE_STATUSES)
    assert booked.count() == 1
    after = _answered_by_instance(balancer, "POST", "/api/v1/appointments")
    spread = [a - b for a, b in zip(after, before, strict=True)]
    assert sum(spread) == 30 and all(share >= 10 for share in spread), spread


def test_a_retried_booking_answered_by_the_other_instance_is_the_same_booking(balancer, world):
    headers = {**_bearer(world.patient_parent), "Idempotency-Key": "retry-over-instances-1"}
    body = {
        "doctor_id": str(world.clinic_a_doctor.public_id),
        "service_id": str(world.cleaning_a.public_id),
        "start": tomorrow_at(11).isoformat(),
    }
    answers = []
    # Round robin: consecutive requests from new connections go to alternate instances.
    for _ in range(2):
        response = httpx.post(f"{balancer.url}/api/v1/appointments", json=body, headers=headers)
        answers.append(response)

    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert answers[1].headers["Idempotent-Replayed"] == "true"
    assert Appointment.objects.filter(doctor=world.clinic_a_doctor).count() == 1


def test_a_flash_sale_rush_over_two_instances_sells_each_place_once(balancer, world):
    if not flash_store.enabled():
        pytest.skip("flash sales do not use Redis here")
    sale = make_sale(world.clinic_a, places=10, limit=1)
    buyers = UserFactory.create_batch(30)
    path = f"/api/v1/flash-sales/{sale.public_id}/reserve"
    requests = [("POST", path, None, _bearer(buyer)) for buyer in buyers]

    outcomes = Counter(status for status, _code in _fire(balancer.url, requests))

    assert outcomes == {201: 10, 409: 20}, outcomes
    assert remaining(sale) == 0 and holding(sale) == 10
    reservations = FlashReservation.objects.filter(sale=sale)
    assert len(set(reservations.values_list("buyer_id", flat=True))) == 10
    assert Order.objects.filter(flash_reservation__sale=sale).count() == 10
    redis_agrees(sale)


def test_a_place_given_back_on_one_instance_is_sold_again_through_the_other(balancer, world):
    """The sold-out belief of a process (ADR 0028) lasts a second, not for good."""
    if not flash_store.enabled():
        pytest.skip("flash sales do not use Redis here")
    from yachi.shop.flash.settlement import reservation_released

    sale = make_sale(world.clinic_a, places=1, limit=1)
    first, second = UserFactory.create_batch(2)
    path = f"{balancer.url}/api/v1/flash-sales/{sale.public_id}/reserve"
    assert httpx.post(path, headers=_bearer(first)).status_code == 201
    # Both instances now hear "sold out" (round robin), and may believe it for a second.
    for _ in range(2):
        assert httpx.post(path, headers=_bearer(second)).json()["code"] == "sold_out"

    # Given back by another process, as the job that closes an unpaid order does.
    assert reservation_released(order=Order.objects.get(flash_reservation__sale=sale))

    answers = []
    until = time.monotonic() + settings.YACHI_FLASH_SOLD_OUT_SECONDS + 5
    while time.monotonic() < until:
        answers.append(httpx.post(path, headers=_bearer(second)).status_code)
        if answers[-1] == 201:
            break
        time.sleep(0.2)
    assert answers[-1] == 201, answers
    assert remaining(sale) == 0


def test_simultaneous_accepts_of_an_emergency_over_two_instances_let_one_through(
    balancer,
    world,
    city,  # noqa: F811
):
    case = ask(world)
    path = f"/api/v1/emergencies/{case.public_id}/accept"
    requests = [("POST", path, None, _bearer(doctor.user)) for doctor in city[:3]]

    outcomes = Counter(_fire(balancer.url, requests))

    assert outcomes == {(200, None): 1, (409, "already_taken"): 2}, outcomes
    assert Appointment.objects.filter(channel="emergency").count() == 1


def test_the_balancer_passes_a_request_id_through_and_keeps_metrics_to_itself(balancer):
    given = httpx.get(f"{balancer.url}/api/v1/health", headers={"X-Request-ID": "trace-0123456789"})
    assert given.headers["X-Request-ID"] == "trace-0123456789"
    made = httpx.get(f"{balancer.url}/api/v1/health")
    assert len(made.headers["X-Request-ID"]) >= 8
    assert made.headers["X-Request-ID"] != given.headers["X-Request-ID"]
    hidden = httpx.get(
        f"{balancer.url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    assert hidden.status_code == 404


def test_a_logout_on_one_instance_refuses_the_token_on_the_other_at_once(balancer, world):
    """Each process remembers tokens it checked (ADR 0025); the version in Redis wins."""
    headers = _bearer(world.patient_parent)
    one, other = balancer.instance_url(0), balancer.instance_url(1)
    for url in (one, other):  # both remember the token now
        assert httpx.get(f"{url}/api/v1/me", headers=headers).status_code == 200

    assert httpx.post(f"{one}/api/v1/auth/logout", headers=headers).status_code == 204

    refused = httpx.get(f"{other}/api/v1/me", headers=headers)
    assert refused.status_code == 401
