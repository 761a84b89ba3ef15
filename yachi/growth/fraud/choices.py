from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    # Scored below the threshold: paid at once.
    CLEARED = "cleared", _("Cleared")
    HELD = "held", _("Held for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SightingKind(models.TextChoices):
    SIGN_UP = "sign_up", _("Sign-up")
    LOGIN = "login", _("Login")
