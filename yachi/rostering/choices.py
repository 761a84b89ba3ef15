from django.db import models
from django.utils.translation import gettext_lazy as _


class ExceptionKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    EXTRA = "extra", _("Extra shift")


class ShiftKind(models.TextChoices):
    REGULAR = "regular", _("Clinic hours")  # bookable
    ON_CALL = "on_call", _("On call for emergencies")  # not bookable, but on duty
