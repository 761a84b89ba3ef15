from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    BOOKED = "booked", _("Booked")
    ARRIVED = "arrived", _("Arrived")
    IN_TREATMENT = "in_treatment", _("In treatment")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


# Every status in which an appointment holds its doctor and chair. The database
# constraints that forbid double booking are written against exactly this set.
ACTIVE_STATUSES = (Status.PENDING, Status.BOOKED, Status.ARRIVED, Status.IN_TREATMENT)

# What staff may do next from each status (patients only cancel and reschedule).
TRANSITIONS = {
    Status.PENDING: {Status.BOOKED, Status.CANCELLED},
    Status.BOOKED: {Status.ARRIVED, Status.CANCELLED, Status.NO_SHOW},
    Status.ARRIVED: {Status.IN_TREATMENT, Status.COMPLETED, Status.CANCELLED},
    Status.IN_TREATMENT: {Status.COMPLETED},
    Status.COMPLETED: set(),
    Status.CANCELLED: set(),
    Status.NO_SHOW: set(),
}


class Channel(models.TextChoices):
    PATIENT_APP = "patient_app", _("Patient app")
    API = "api", _("Mini-program")
    CONSOLE = "console", _("Front desk")
    WALK_IN = "walk_in", _("Walk-in")
