from django.db import models
from django.utils.translation import gettext_lazy as _


class Party(models.TextChoices):
    """Who is in a video consultation: the patient's family account, or the doctor."""

    PATIENT = "patient", _("Patient")
    DOCTOR = "doctor", _("Doctor")


class RoomEventKind(models.TextChoices):
    JOINED = "joined", _("Joined")
    LEFT = "left", _("Left")
