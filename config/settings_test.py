"""Settings for the test suite: the real settings, with a throw-away data directory
and SMS kept in memory. ``DATABASE_URL`` and ``REDIS_URL`` still choose the engines.

The suite runs in parallel (pytest-xdist): each worker gets its own data directory
(SQLite database, file cache, job queue), its own PostgreSQL test database (pytest-django
adds the worker's name) and its own Redis database, because clearing the cache empties
the whole Redis database it lives in.
"""

import atexit
import os
import re
import shutil
import tempfile

_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")

if "YACHI_TEST_RUN_DIR" not in os.environ:
    # One directory per run, so that two runs on one machine never share a database. The
    # process that made it (the only one, or the one that starts the workers) removes it.
    os.environ["YACHI_TEST_RUN_DIR"] = os.environ.get("YACHI_DATA_DIR") or tempfile.mkdtemp(
        prefix="yachi-test-"
    )
    if "YACHI_DATA_DIR" not in os.environ:
        atexit.register(shutil.rmtree, os.environ["YACHI_TEST_RUN_DIR"], ignore_errors=True)
os.environ["YACHI_DATA_DIR"] = os.path.join(os.environ["YACHI_TEST_RUN_DIR"], _WORKER or "main")


def _worker_redis(url: str) -> str:
    """Worker gw<n> uses the Redis database n below the one given (15, 14, 13, …)."""
    match = re.fullmatch(r"(redis://[^/]+)/(\d+)", url)
    if not match or not _WORKER:
        return url
    index = int(_WORKER.removeprefix("gw") or 0)
    return f"{match[1]}/{(int(match[2]) - index) % 16}"


if os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = _worker_redis(os.environ["REDIS_URL"])
os.environ.setdefault("YACHI_SMS_PROVIDER", "memory")
# Jobs run inline, as they are asked for; what is scheduled for later stays scheduled.
os.environ.setdefault("YACHI_JOBS_IMMEDIATE", "1")
# No quiet hours, so that what a test sends does not depend on the hour it runs at; the
# tests of quiet hours turn them on (the ``quiet_hours`` fixture).
os.environ.setdefault("YACHI_QUIET_HOURS_START", "0")
os.environ.setdefault("YACHI_QUIET_HOURS_END", "0")

from config.settings import *  # noqa: E402, F403

# Models that exercise every kind of encrypted field, apart from the production models
# that use some of them, exist only in the test database (a test app needs no migrations).
# ``tests.db`` brings the suite's cheaper ``flush`` (see its command).
INSTALLED_APPS = [*INSTALLED_APPS, "yachi.compliance.tests", "tests.db"]  # noqa: F405

# Password hashing is not what the tests test; the real hasher costs ~100 ms a hash.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The real backend with a flush that deletes rows instead of truncating every table.
    DATABASES["default"]["ENGINE"] = "tests.db.postgresql"  # noqa: F405
