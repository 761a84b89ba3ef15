from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    NIGHTLY = "nightly", _("Nightly job")
    COMMAND = "command", _("yachi backup")


class Status(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
