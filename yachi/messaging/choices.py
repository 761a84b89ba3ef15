from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    INBOX = "inbox", _("In-app")


class Category(models.TextChoices):
    """What a message is for decides the rules it obeys."""

    # Outside quiet hours only, unless urgent (emergencies) or a change to a visit that close.
    TRANSACTIONAL = "transactional", _("Service message")
    REMINDER = "reminder", _("Reminder")  # moved before the quiet hours, or dropped
    MARKETING = "marketing", _("Promotion")  # opt-out, never in quiet hours


class Status(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Will retry")
    FAILED = "failed", _("Failed")
    UNCERTAIN = "uncertain", _("Delivery unknown")
    SKIPPED = "skipped", _("Not sent")
