from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    COUPON = "coupon", _("Coupon")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class RecipientOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Reached")
    NO_CONSENT = "no_consent", _("Refused offers")
    REMOVED = "removed", _("No longer a patient")
    FAILED = "failed", _("Could not be given")


# What a message campaign may go out by, with their names.
CHANNELS = ("sms", "wechat", "inbox")
CHANNEL_LABELS = {"sms": _("SMS"), "wechat": _("WeChat"), "inbox": _("In-app")}
