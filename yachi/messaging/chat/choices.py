from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ConversationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("conversation", "Waiting")  # nobody has picked it up
    ASSIGNED = "assigned", _("Being answered")
    CLOSED = "closed", pgettext_lazy("conversation", "Closed")


class Side(models.TextChoices):
    PATIENT = "patient", _("Patient")
    STAFF = "staff", _("Clinic")
    SYSTEM = "system", _("Notice")


class MessageKind(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", pgettext_lazy("chat", "Picture")
    APPOINTMENT = "appointment", _("Appointment card")
    EVENT = "event", _("Notice")  # picked up, handed over, closed, reopened


class Event(models.TextChoices):
    PICKED_UP = "picked_up", _("picked up the conversation")
    ASSIGNED = "assigned", _("handed the conversation over")
    CLOSED = "closed", _("closed the conversation")
    REOPENED = "reopened", _("The conversation was reopened")
