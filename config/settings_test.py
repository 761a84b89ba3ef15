"""Settings for the test suite: the real settings, with a throw-away data directory
and SMS kept in memory. ``DATABASE_URL`` and ``REDIS_URL`` still choose the engines."""

import os
import tempfile

os.environ.setdefault("YACHI_DATA_DIR", os.path.join(tempfile.gettempdir(), "yachi-test"))
os.environ.setdefault("YACHI_SMS_BACKEND", "yachi.messaging.sms.MemoryBackend")

from config.settings import *  # noqa: F403
