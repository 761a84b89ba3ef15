"""The kernel's own periodic job: the queue's heartbeat (``core.jobs_heartbeat``)."""

from huey import crontab
from huey.contrib.djhuey import periodic_task

from yachi.core.jobs_heartbeat import heartbeat_beat


@periodic_task(crontab(minute="*"))
def jobs_heartbeat() -> None:
    heartbeat_beat()
