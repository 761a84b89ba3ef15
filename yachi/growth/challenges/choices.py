from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RUNNING = "running", _("Running")
    STOPPED = "stopped", _("Stopped")


class CheckInSource(models.TextChoices):
    APP = "app", _("Patient app")
    # Later: a toothbrush's brushing data through the same service.
    TOOTHBRUSH = "toothbrush", _("Toothbrush")
