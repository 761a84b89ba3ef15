from django.db import models
from django.utils.translation import gettext_lazy as _

# Shown wherever the model's marks appear: the console, the app, the API.
NOTICE = "演示模型，非临床诊断用"


class MarkStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested by the model")
    CONFIRMED = "confirmed", _("Confirmed by a doctor")
    REJECTED = "rejected", _("Rejected by a doctor")


class MarkSource(models.TextChoices):
    AI = "ai", _("Model")
    DOCTOR = "doctor", _("Doctor")


class AnalysisStatus(models.TextChoices):
    DONE = "done", _("Marked")
    FAILED = "failed", _("Could not be read")


# Modalities the model is for: intraoral pictures (bitewings, periapicals).
MODALITIES = frozenset({"IO"})
