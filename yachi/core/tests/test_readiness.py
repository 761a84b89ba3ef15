"""`GET /api/v1/ready`: 200 with every check when the platform's dependencies answer,
503 naming the one that does not; `/health` stays the process's own liveness answer."""

import pytest
from django.db import connection


def test_ready_reports_every_dependency_it_checked(api, settings):
    response = api.get("/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    expected = {"database", "jobs"} | ({"redis"} if settings.REDIS_URL else set())
    assert set(body["checks"]) == expected
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_ready_names_redis_when_redis_does_not_answer(api, settings, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"

    response = api.get("/ready")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["redis"]
    assert body["checks"]["redis"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["code"] == "not_ready"
    assert response["Retry-After"]
    # What failed, never where it lives.
    assert str(closed_port) not in response.content.decode()


@pytest.fixture
def database_gone(closed_port):
    """The connection's next open goes to a database that is not there."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-directory/yachi.sqlite3"
    else:
        connection.settings_dict["PORT"] = closed_port
        connection.settings_dict.get("OPTIONS", {}).pop("pool", None)
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


def test_ready_names_the_database_when_it_is_down(api, database_gone):
    response = api.get("/ready")

    assert response.status_code == 503
    body = response.json()
    assert "database" in body["failing"]
    assert body["checks"]["database"] == {
        "status": "down",
        "error": "OperationalError",
        "ms": body["checks"]["database"]["ms"],
    }


def test_health_answers_without_asking_the_database(api, database_gone):
    assert api.get("/health").status_code == 200


def test_ready_counts_the_jobs_waiting_when_a_consumer_runs_them(api, settings):
    from huey.contrib.djhuey import HUEY

    from yachi.core.jobs_heartbeat import heartbeat_beat

    settings.HUEY = {**settings.HUEY, "immediate": False}
    HUEY.immediate = False
    try:
        HUEY.storage.flush_queue()
        heartbeat_beat()
        checks = api.get("/ready").json()["checks"]
    finally:
        HUEY.immediate = True
    assert checks["jobs"]["status"] == "ok"
    assert checks["jobs"]["pending"] == 0
    assert checks["jobs"]["heartbeat_age_seconds"] < 5


def test_the_minute_heartbeat_job_shows_the_queue_runs(db):
    from yachi.core.jobs_heartbeat import heartbeat_age
    from yachi.core.tasks import jobs_heartbeat

    assert heartbeat_age() is None  # no consumer has run it yet

    jobs_heartbeat()

    assert 0 <= heartbeat_age() < 5
