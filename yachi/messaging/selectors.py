from yachi.messaging.choices import Channel, Status
from yachi.messaging.models import Notification, Preference


def notifications_of(*, user, scope: str = "all", limit: int = 100) -> list[Notification]:
    """What reached the person: ``inbox``, the messages in the app; ``sent``, what went
    out by SMS or WeChat; ``all``, both. The send queue (planned, retrying, dropped or
    failed messages) is the platform's business, never shown to the recipient."""
    queryset = Notification.objects.filter(recipient=user, status=Status.SENT)
    if scope == "inbox":
        queryset = queryset.filter(channel=Channel.INBOX)
    elif scope == "sent":
        queryset = queryset.exclude(channel=Channel.INBOX)
    return list(queryset.order_by("-sent_at", "-scheduled_for")[:limit])


def unread_count(*, user) -> int:
    return Notification.objects.filter(
        recipient=user, channel=Channel.INBOX, status=Status.SENT, read_at__isnull=True
    ).count()


def marketing_refused(*, user_ids) -> set[int]:
    """Which of these people said no to offers and news (one query): everyone else
    accepts them, as a preference never saved does."""
    return set(
        Preference.objects.filter(user_id__in=list(user_ids), marketing=False).values_list(
            "user_id", flat=True
        )
    )
