"""Asking for messages to be sent, and delivering them.

``notify`` records one notification per channel the recipient can and wants to be
reached on, idempotently; ``deliver`` sends one, claiming it first with a conditional
update so that a retried or duplicated job sends nothing twice. What is due later is
picked up by ``dispatch_due`` (a periodic job), so a restart loses nothing.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from yachi.messaging import delivery, links
from yachi.messaging.choices import Category, Channel, Status
from yachi.messaging.kinds import kind as kind_named
from yachi.messaging.models import Notification, Preference
from yachi.messaging.providers import wechat_configured
from yachi.messaging.render import render

logger = logging.getLogger("yachi.messaging")

MAX_ATTEMPTS = 5
# A message still "sending" after this long was lost with its worker: it may or may
# not have left, so it is marked uncertain rather than sent again.
SENDING_LEASE = timedelta(minutes=10)
# How long a short link lives when the caller names no end for what it points to.
LINK_LIFETIME = timedelta(days=30)


def preference_of(user) -> Preference:
    return Preference.objects.get_or_create(user=user)[0]


def _reachable(user, channel: str, preference: Preference) -> bool:
    if channel == Channel.INBOX:
        return True
    if channel == Channel.SMS:
        return preference.sms and bool(user.phone)
    return preference.wechat and bool(user.wechat_openid) and wechat_configured()


# A change to a visit passes the quiet hours when waiting for their end would leave the
# patient less notice than this.
SAME_DAY_NOTICE = timedelta(hours=2)


def _quiet(local: datetime) -> bool:
    start, end = settings.YACHI_QUIET_HOURS
    if start == end:
        return False  # no quiet hours
    moment = local.timetz().replace(tzinfo=None)
    return moment > time(start) or moment < time(end)


def quiet_hours_end(moment: datetime, zone: ZoneInfo) -> datetime:
    """``moment``, or the end of the quiet hours it falls in (clinic time)."""
    local = moment.astimezone(zone)
    start, end = settings.YACHI_QUIET_HOURS
    if _quiet(local):
        day = local.date() + timedelta(days=1 if local.hour >= start else 0)
        return datetime.combine(day, time(end), tzinfo=zone)
    return moment


def quiet_hours_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """``moment``, or the last allowed time before the quiet hours it falls in."""
    local = moment.astimezone(zone)
    start = settings.YACHI_QUIET_HOURS[0]
    if _quiet(local):
        day = local.date() - timedelta(days=0 if local.hour >= start else 1)
        return datetime.combine(day, time(start), tzinfo=zone)
    return moment


def _sending_time(
    definition, channel: str, send_at: datetime, *, happens_at, not_before, now
) -> datetime | None:
    """When a message may reach a phone, or None when it comes too late to be of use.

    The inbox makes no sound and emergencies cannot wait. A change to a visit the same
    day passes; a reminder of something moves to the last allowed time before, and is
    dropped when that is past (or not after ``not_before``); everything else waits for
    the morning.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    if channel == Channel.INBOX or definition.urgent or not _quiet(send_at.astimezone(zone)):
        return send_at
    morning = quiet_hours_end(send_at, zone)
    close = happens_at is not None and happens_at < morning + SAME_DAY_NOTICE
    if definition.category == Category.TRANSACTIONAL and close:
        return send_at
    if definition.category == Category.REMINDER and happens_at is not None:
        evening = quiet_hours_start(send_at, zone)
        if evening <= max(now, not_before or now):
            return None
        return evening
    return morning


def reaches_phone_at(kind: str, *, happens_at: datetime | None = None) -> datetime:
    """When a message of ``kind`` asked for now reaches a phone: now, or when the quiet
    hours end (a reminder, moved before them, never later than now)."""
    now = timezone.now()
    sending = _sending_time(
        kind_named(kind), Channel.SMS, now, happens_at=happens_at, not_before=None, now=now
    )
    return max(sending or now, now)


def notify(
    *,
    recipient,
    kind: str,
    params: dict,
    key: str,
    send_at: datetime | None = None,
    channels: tuple[str, ...] | None = None,
    object_type: str = "",
    object_id="",
    language: str | None = None,
    happens_at: datetime | None = None,
    not_before: datetime | None = None,
    link_expires_at: datetime | None = None,
) -> list[Notification]:
    """Ask for a message; the same ``key`` twice changes nothing.

    ``happens_at`` is when what the message is about happens (a visit's start): a
    reminder then moves before the quiet hours rather than after, and a change that
    close passes them. A reminder moved to ``not_before`` or earlier is not sent.

    ``params["link"]``, a link to this site, is replaced by a short one (``/s/<code>``)
    that lives until ``link_expires_at``, by default ``happens_at``.
    """
    return notify_all(
        recipient=recipient,
        messages=[
            Message(
                kind=kind,
                params=params,
                key=key,
                send_at=send_at,
                channels=channels,
                object_type=object_type,
                object_id=object_id,
                language=language,
                happens_at=happens_at,
                not_before=not_before,
                link_expires_at=link_expires_at,
            )
        ],
    )


@dataclass(frozen=True)
class Message:
    """One message asked of ``notify_all``: ``notify``'s arguments but the recipient."""

    kind: str
    params: dict
    key: str
    send_at: datetime | None = None
    channels: tuple[str, ...] | None = None
    object_type: str = ""
    object_id: object = ""
    language: str | None = None
    happens_at: datetime | None = None
    not_before: datetime | None = None
    link_expires_at: datetime | None = None


def notify_all(*, recipient, messages: list[Message]) -> list[Notification]:
    """Several messages to one person (a booking's confirmation and reminders), as
    ``notify`` asks for each, in few statements: the person's preferences read once,
    each link shortened once, and every new row in one INSERT that skips the
    (key, channel) pairs asked for before. Returns the rows written."""
    preference = preference_of(recipient)
    now = timezone.now()
    shortened: dict[tuple[str, datetime], str] = {}
    planned = []
    for message in messages:
        planned += _planned(recipient, preference, message, now=now, shortened=shortened)
    created = _insert_new(planned)
    due = [n.pk for n in created if n.scheduled_for <= now]
    if due:
        transaction.on_commit(lambda: _enqueue(due))
    return created


def _planned(recipient, preference, message: Message, *, now, shortened) -> list[Notification]:
    definition = kind_named(message.kind)
    send_at = max(message.send_at or now, now)
    if definition.category == Category.MARKETING and not preference.marketing:
        return []
    params = message.params
    if params.get("link"):
        expires_at = message.link_expires_at or message.happens_at or now + LINK_LIFETIME
        link = (str(params["link"]), expires_at)
        if link not in shortened:
            shortened[link] = links.shorten(link[0], expires_at=expires_at)
        params = {**params, "link": shortened[link]}
    planned = []
    for channel in message.channels or definition.channels:
        if not _reachable(recipient, channel, preference):
            continue
        scheduled_for = _sending_time(
            definition,
            channel,
            send_at,
            happens_at=message.happens_at,
            not_before=message.not_before,
            now=now,
        )
        if scheduled_for is None:
            continue
        planned.append(
            Notification(
                recipient=recipient,
                kind=message.kind,
                channel=channel,
                category=definition.category,
                idempotency_key=message.key,
                params={k: str(v) for k, v in params.items()},
                language=message.language or settings.LANGUAGE_CODE,
                scheduled_for=scheduled_for,
                object_type=message.object_type,
                object_id=str(message.object_id or ""),
            )
        )
    return planned


def _insert_new(planned: list[Notification]) -> list[Notification]:
    """``planned`` written in one statement, but for those whose (key, channel) was
    asked for before (the unique constraint's conflict, skipped without an error or a
    savepoint); the rows written get their ids."""
    if not planned:
        return []
    fields = [f for f in Notification._meta.local_concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(Notification._meta.db_table)} "  # noqa: S608 (the model's names)
        f"({', '.join(quote(f.column) for f in fields)}) VALUES {', '.join([row] * len(planned))} "
        "ON CONFLICT (idempotency_key, channel) DO NOTHING RETURNING id, idempotency_key, channel"
    )
    params = [
        f.get_db_prep_save(f.pre_save(notification, add=True), connection)
        for notification in planned
        for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = {(key, channel): pk for pk, key, channel in cursor.fetchall()}
    created = []
    for notification in planned:
        pk = written.pop((notification.idempotency_key, notification.channel), None)
        if pk is None:
            continue
        notification.pk = pk
        notification._state.adding = False
        notification._state.db = connection.alias
        created.append(notification)
    return created


def _enqueue(ids: list[int]) -> None:
    from yachi.messaging.tasks import deliver_notification

    for notification_id in ids:
        deliver_notification(notification_id)


def cancel_pending(*, object_type: str, object_id, kinds: tuple[str, ...] | None = None) -> int:
    """Messages about something that changed are not sent any more."""
    pending = Notification.objects.filter(
        object_type=object_type,
        object_id=str(object_id),
        status__in=(Status.SCHEDULED, Status.RETRYING),
    )
    if kinds:
        pending = pending.filter(kind__in=kinds)
    return pending.update(status=Status.SKIPPED, error="no longer relevant")


def deliver(notification_id: int) -> str:
    """Send one message, at most once. Returns its status afterwards."""
    now = timezone.now()
    # In a transaction of its own: the claim then commits only when this worker asks
    # for the commit. A statement run on its own commits when the server runs it, even
    # if the worker died while it waited for the row (ADR 0040); the row then stayed
    # "sending" and the message was never sent.
    with transaction.atomic():
        claimed = Notification.objects.filter(
            pk=notification_id,
            status__in=(Status.SCHEDULED, Status.RETRYING),
            scheduled_for__lte=now,
        ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not claimed:
        return notification.status
    title, text = render(notification.kind, notification.params, notification.language)
    result = delivery.send(notification, title=title, text=text)
    error = f"{result.error_code} {result.error_message}".strip()
    changes = {
        "provider": result.provider,
        "provider_message_id": result.provider_message_id,
        "error": error[:300],
    }
    if result.accepted:
        changes.update(status=Status.SENT, sent_at=timezone.now())
    elif result.retryable and notification.attempts < MAX_ATTEMPTS:
        backoff = timedelta(seconds=30 * 2 ** (notification.attempts - 1))
        changes.update(status=Status.RETRYING, scheduled_for=timezone.now() + backoff)
    elif result.uncertain:
        changes.update(status=Status.UNCERTAIN)
    else:
        changes.update(status=Status.FAILED)
    Notification.objects.filter(pk=notification_id, status=Status.SENDING).update(**changes)
    if changes["status"] == Status.FAILED:
        logger.warning("notification %s failed: %s", notification_id, error)
    return changes["status"]


def dispatch_due(*, limit: int = 500) -> int:
    """Hand due messages to the workers, and settle those whose worker vanished."""
    now = timezone.now()
    Notification.objects.filter(status=Status.SENDING, claimed_at__lt=now - SENDING_LEASE).update(
        status=Status.UNCERTAIN, error="worker stopped while sending"
    )
    due = list(
        Notification.objects.filter(
            Q(status=Status.SCHEDULED) | Q(status=Status.RETRYING), scheduled_for__lte=now
        )
        .order_by("scheduled_for")
        .values_list("pk", flat=True)[:limit]
    )
    _enqueue(due)
    return len(due)


def inbox_mark_read(*, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_update(*, user, sms: bool, wechat: bool, marketing: bool) -> Preference:
    preference = preference_of(user)
    preference.sms, preference.wechat, preference.marketing = sms, wechat, marketing
    preference.save()
    return preference
