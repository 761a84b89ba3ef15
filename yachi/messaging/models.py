from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import EncryptedJSONField, EncryptedQuerySet
from yachi.core.models import BaseModel

# Chat's models live in its sub-package; imported here so that Django finds them.
from yachi.messaging.chat.models import ChatMessage, Conversation, QuickReply  # noqa: F401
from yachi.messaging.choices import Category, Channel, Status


class Notification(BaseModel):
    """One message to one person on one channel.

    ``idempotency_key`` names the message's purpose (``reminder-24h:<appointment>:<start>``):
    the unique constraint makes asking twice for the same message a no-op, and the
    status changes are conditional updates, so a retried or doubled job never sends it
    twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=48)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    idempotency_key = models.CharField(max_length=160)
    # Names, times, symptoms: what the message says about someone, encrypted (ADR 0018).
    params = EncryptedJSONField(default=dict)
    language = models.CharField(max_length=8, default="zh-hans")
    scheduled_for = models.DateTimeField(_("send at"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    provider = models.CharField(max_length=16, blank=True)  # which one carried it
    provider_message_id = models.CharField(max_length=128, blank=True)
    error = models.CharField(max_length=300, blank=True)
    object_type = models.CharField(max_length=32, blank=True)
    object_id = models.CharField(max_length=64, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-scheduled_for"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key", "channel"], name="notification_once_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["status", "scheduled_for"], name="notification_due"),
            models.Index(fields=["recipient", "-scheduled_for"], name="notification_recipient"),
            models.Index(fields=["object_type", "object_id"], name="notification_object"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.channel})"


class Preference(models.Model):
    """How a person wants to hear from the clinic. The in-app inbox is always on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    sms = models.BooleanField(_("SMS"), default=True)
    wechat = models.BooleanField(_("WeChat"), default=True)
    marketing = models.BooleanField(_("offers and news"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class ShortLink(models.Model):
    """``/s/<code>``: what an SMS carries instead of a long link (a Chinese SMS is billed
    per 70 characters). It leads to ``target``, a path on this site, until
    ``expires_at``: the time what it points to stops mattering (a visit's start)."""

    code = models.CharField(max_length=8, unique=True)
    target = models.CharField(max_length=600)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")
        indexes = [models.Index(fields=["target", "expires_at"], name="shortlink_target")]

    def __str__(self) -> str:
        return f"/s/{self.code}"


# The sub-domains' models belong to this app too; importing them here lets Django find them.
from yachi.messaging.video.models import VideoRoom, VideoRoomEvent  # noqa: E402, F401
