from django.db import models
from django.utils.translation import gettext_lazy as _


class ExceptionKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    EXTRA = "extra", _("Extra shift")
