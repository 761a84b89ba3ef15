"""The job queue's age, measured by a heartbeat: Huey keeps no time with a queued job.

Every minute the consumer's scheduler queues ``core.tasks.jobs_heartbeat`` behind
whatever waits already, and a worker that reaches it writes down the moment. The time
since then is how far behind the queue runs (about a minute when it keeps up; growing
when the workers are busy with a backlog, stuck, or not running at all). Kept in the
shared cache (Redis, or the file cache every local process shares), so every process
reads the same value.
"""

import time

from django.core.cache import cache
from huey.contrib.djhuey import HUEY

KEY = "jobs:heartbeat"


def heartbeat_beat(*, at: float | None = None) -> None:
    # Kept for a day: a consumer stopped longer than that reads as "never ran".
    cache.set(KEY, time.time() if at is None else at, 24 * 3600)


def heartbeat_age() -> float | None:
    """Seconds since a worker last ran the heartbeat, None if none has."""
    ran_at = cache.get(KEY)
    return None if ran_at is None else max(0.0, time.time() - ran_at)


def queue_depth() -> tuple[int, int]:
    """(jobs waiting to run now, jobs scheduled for later)."""
    return HUEY.pending_count(), HUEY.scheduled_count()
