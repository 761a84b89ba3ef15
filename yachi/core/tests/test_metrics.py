"""`/metrics` for Prometheus: only with the metrics token; requests counted by route pattern
(never by raw path); the gauges of the shared state read when scraped."""

import math
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from conftest import tomorrow_at
from yachi.core import metrics

TOKEN = "scrape-token-for-tests-0123456789"


@pytest.fixture
def scrape(settings):
    settings.YACHI_METRICS_TOKEN = TOKEN
    client = Client()

    def read() -> dict[tuple[str, tuple], float]:
        response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        samples = {}
        for family in text_string_to_metric_families(response.content.decode()):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return samples

    return read


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_refused_while_no_token_is_configured(client, settings):
    settings.YACHI_METRICS_TOKEN = ""
    response = client.get("/metrics", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403
    assert response.json()["code"] == "metrics_disabled"


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}"])
def test_metrics_are_refused_without_the_token(client, settings, header):
    settings.YACHI_METRICS_TOKEN = TOKEN
    headers = {"Authorization": header} if header else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "metrics_token_required"
    assert "yachi_http_requests_total" not in response.content.decode()


def test_requests_are_counted_by_route_pattern_not_by_raw_path(api, world, scrape):
    route = "/api/v1/doctors/<doctor_id>"
    before = scrape()
    doctor_id = str(world.clinic_a_doctor.public_id)
    for _ in range(3):
        assert api.get(f"/doctors/{doctor_id}").status_code == 200
    api.get("/no-such-endpoint")

    after = scrape()
    counted = value(after, "yachi_http_requests_total", method="GET", route=route, status="200")
    assert (
        counted
        - value(before, "yachi_http_requests_total", method="GET", route=route, status="200")
        == 3
    )
    timed = value(after, "yachi_http_request_duration_seconds_count", method="GET", route=route)
    assert (
        timed
        - value(before, "yachi_http_request_duration_seconds_count", method="GET", route=route)
        == 3
    )
    assert (
        value(after, "yachi_http_requests_total", method="GET", route="unmatched", status="404")
        >= 1
    )
    assert not any(doctor_id in str(labels) for _name, labels in after)


def test_a_booking_is_counted_once_it_commits(api, world, scrape):
    before = value(scrape(), "yachi_bookings_total")
    api.as_user(world.patient_parent)
    response = api.post(
        "/appointments",
        {
            "doctor_id": str(world.clinic_a_doctor.public_id),
            "service_id": str(world.cleaning_a.public_id),
            "start": tomorrow_at(10).isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    assert value(scrape(), "yachi_bookings_total") - before == 1


def test_places_left_of_a_running_flash_sale_are_shown(api, world, scrape):
    from yachi.shop.tests.test_flash import make_sale

    running = make_sale(world.clinic_a, places=7)
    later = make_sale(world.clinic_a, places=5, starts_in=timedelta(hours=2))

    samples = scrape()
    sale = {"sale": str(running.public_id), "clinic": str(world.clinic_a.public_id)}
    assert value(samples, "yachi_flash_sale_places_left", **sale) == 7
    assert not any(str(later.public_id) in str(labels) for _name, labels in samples)


def test_failed_notifications_of_the_last_day_are_counted(api, world, scrape):
    from yachi.messaging.choices import Status
    from yachi.messaging.models import Notification

    now = timezone.now()
    for status, when, key in [
        (Status.FAILED, now, "a"),
        (Status.FAILED, now - timedelta(minutes=5), "b"),
        (Status.UNCERTAIN, now, "c"),
        (Status.FAILED, now - timedelta(days=2), "d"),  # older than a day
        (Status.SENT, now, "e"),
    ]:
        Notification.objects.create(
            recipient=world.patient_parent,
            kind="appointment_booked",
            channel="sms",
            category="transactional",
            idempotency_key=key,
            scheduled_for=when,
            status=status,
        )

    samples = scrape()
    assert value(samples, "yachi_notification_failures", channel="sms", status="failed") == 2
    assert value(samples, "yachi_notification_failures", channel="sms", status="uncertain") == 1


def test_backup_age_is_unknown_until_a_backup_succeeds_then_counts_from_it(db, scrape):
    from yachi.operations.backups.choices import Status, Trigger
    from yachi.operations.backups.models import BackupRun

    assert math.isnan(value(scrape(), "yachi_backup_age_seconds"))
    finished = timezone.now() - timedelta(hours=30)
    for status, hours in ((Status.SUCCEEDED, 30), (Status.FAILED, 6)):
        BackupRun.objects.create(
            trigger=Trigger.NIGHTLY,
            status=status,
            started_at=timezone.now() - timedelta(hours=hours, minutes=1),
            finished_at=timezone.now() - timedelta(hours=hours),
        )
    age = value(scrape(), "yachi_backup_age_seconds")
    assert 30 * 3600 <= age < 30 * 3600 + 60  # the failed one does not count
    assert (timezone.now() - finished).total_seconds() >= age


def test_the_job_queue_depth_is_shown(scrape):
    samples = scrape()
    assert ("yachi_job_queue_depth", (("state", "pending"),)) in samples
    assert ("yachi_job_queue_age_seconds", ()) in samples


def test_a_server_starting_forgets_dead_processes_counts_but_not_live_ones(tmp_path):
    import os
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    (tmp_path / f"counter_{int(dead.stdout)}.db").write_bytes(b"")
    (tmp_path / f"counter_{os.getpid()}.db").write_bytes(b"")

    metrics.clear_process_files(tmp_path)

    assert [p.name for p in tmp_path.iterdir()] == [f"counter_{os.getpid()}.db"]
