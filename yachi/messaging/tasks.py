from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yachi.messaging import services


@db_task()
def deliver_notification(notification_id: int) -> str:
    return services.deliver(notification_id)


@db_periodic_task(crontab(minute="*"))
def dispatch_due_notifications() -> int:
    return services.dispatch_due()


# Chat's periodic job: found by the consumer through this module.
from yachi.messaging.chat.tasks import chat_nudge_unread  # noqa: E402, F401
