"""Failed notifications for Prometheus (ADR 0041): those of the last day that failed
or whose delivery is unknown, by channel, read from the notifications themselves so
that every instance reports the same numbers."""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from yachi.core.metrics import register_gauge
from yachi.messaging.choices import Status
from yachi.messaging.models import Notification

WINDOW = timedelta(days=1)


def failures() -> dict[tuple[str, str], float]:
    since = timezone.now() - WINDOW
    rows = (
        Notification.objects.filter(
            status__in=(Status.FAILED, Status.UNCERTAIN), scheduled_for__gte=since
        )
        .values_list("channel", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(channel, status): float(n) for channel, status, n in rows}


def register() -> None:
    register_gauge(
        "yachi_notification_failures",
        "Notifications of the last 24 hours that failed or whose delivery is unknown, "
        "by channel and status",
        failures,
        labels=("channel", "status"),
    )
