"""Settings for the test suite: the real settings, with a throw-away data directory
and SMS kept in memory. ``DATABASE_URL`` and ``REDIS_URL`` still choose the engines."""

import atexit
import os
import shutil
import tempfile

if "YACHI_DATA_DIR" not in os.environ:
    # One directory per run, so that two runs on one machine never share a database.
    os.environ["YACHI_DATA_DIR"] = tempfile.mkdtemp(prefix="yachi-test-")
    atexit.register(shutil.rmtree, os.environ["YACHI_DATA_DIR"], ignore_errors=True)
os.environ.setdefault("YACHI_SMS_PROVIDER", "memory")
# Jobs run inline, as they are asked for; what is scheduled for later stays scheduled.
os.environ.setdefault("YACHI_JOBS_IMMEDIATE", "1")

from config.settings import *  # noqa: F403

# Models that exercise every kind of encrypted field, apart from the production models
# that use some of them, exist only in the test database (a test app needs no migrations).
INSTALLED_APPS = [*INSTALLED_APPS, "yachi.compliance.tests"]  # noqa: F405
