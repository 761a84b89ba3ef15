"""``GET /api/v1/ready``: whether this instance can do its work now (ADR 0041).

``/health`` answers from the process alone (liveness: restart it if it does not answer);
``/ready`` asks what the process depends on, so that a balancer sends it no requests
while one of them is down: the database, Redis when configured, and the job queue's
storage. Each check is bounded by a short timeout and reports what failed, never a
connection string or a password.
"""

import time

import redis
from django.conf import settings
from django.db import connection

from yachi.core.jobs_heartbeat import heartbeat_age, queue_depth

TIMEOUT_SECONDS = 2.0

_redis: dict[str, redis.Redis] = {}


def _redis_client(url: str) -> redis.Redis:
    if url not in _redis:
        _redis[url] = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )
    return _redis[url]


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _redis_check() -> dict:
    _redis_client(settings.REDIS_URL).ping()
    return {}


def _jobs() -> dict:
    if settings.HUEY.get("immediate"):
        return {"mode": "immediate"}
    pending, scheduled = queue_depth()
    age = heartbeat_age()
    # Reported, not failed on: a slow consumer is not this web instance's fault, and
    # taking every instance out of the balancer for it would stop all requests.
    return {
        "pending": pending,
        "scheduled": scheduled,
        "heartbeat_age_seconds": None if age is None else round(age, 1),
    }


def _run(check) -> dict:
    started = time.perf_counter()
    try:
        details = check()
    except Exception as exc:  # any failure of a dependency is an answer, not a crash
        result = {"status": "down", "error": type(exc).__name__}
    else:
        result = {"status": "ok", **details}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def readiness() -> tuple[bool, dict]:
    """(all up, every check's result by name)."""
    checks = {"database": _run(_database)}
    if settings.REDIS_URL:
        checks["redis"] = _run(_redis_check)
    checks["jobs"] = _run(_jobs)
    return all(c["status"] == "ok" for c in checks.values()), checks
