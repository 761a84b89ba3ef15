from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yachi.messaging.chat import nudges


@db_periodic_task(crontab(minute="*"))
def chat_nudge_unread() -> int:
    """Remind patients of clinic messages they have not read for 10 minutes."""
    return nudges.nudge_unread()
