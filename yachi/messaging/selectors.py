from yachi.messaging.choices import Channel, Status
from yachi.messaging.models import Notification


def notifications_of(*, user, scope: str = "all", limit: int = 100) -> list[Notification]:
    """``inbox``: messages in the app; ``sent``: what went out by SMS or WeChat;
    ``scheduled``: what will go out; ``all``: everything."""
    queryset = Notification.objects.filter(recipient=user)
    if scope == "inbox":
        queryset = queryset.filter(channel=Channel.INBOX, status=Status.SENT)
    elif scope == "sent":
        queryset = queryset.exclude(channel=Channel.INBOX).exclude(
            status__in=(Status.SCHEDULED, Status.RETRYING)
        )
    elif scope == "scheduled":
        queryset = queryset.filter(status__in=(Status.SCHEDULED, Status.RETRYING)).order_by(
            "scheduled_for"
        )
        return list(queryset[:limit])
    return list(queryset.order_by("-scheduled_for")[:limit])


def unread_count(*, user) -> int:
    return Notification.objects.filter(
        recipient=user, channel=Channel.INBOX, status=Status.SENT, read_at__isnull=True
    ).count()
