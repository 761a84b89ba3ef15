from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketKind(models.TextChoices):
    APPOINTMENT = "appointment", _("Appointment")
    WALK_IN = "walk_in", _("Walk-in")
    EMERGENCY = "emergency", _("Emergency")


# The letter a day's ticket numbers start with, per kind: A012, B005, E001.
PREFIX = {TicketKind.APPOINTMENT: "A", TicketKind.WALK_IN: "B", TicketKind.EMERGENCY: "E"}


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    IN_TREATMENT = "in_treatment", _("In treatment")
    FINISHED = "finished", _("Finished")
    NO_SHOW = "no_show", _("No-show")


# A ticket still in its queue: waiting, or called and not yet in the chair.
OPEN_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED)


class EventType(models.TextChoices):
    CHECKED_IN = "checked_in", _("Checked in")
    CALLED = "called", _("Called")
    RECALLED = "recalled", _("Called again")
    SKIPPED = "skipped", _("Skipped")
    NO_SHOW = "no_show", _("No-show")
    MOVED = "moved", _("Moved in the queue")
    TRANSFERRED = "transferred", _("Transferred")
    STARTED = "started", _("Treatment started")
    FINISHED = "finished", _("Finished")


class CheckInBy(models.TextChoices):
    PATIENT_LOCATION = "location", _("By the patient, at the clinic")
    PATIENT_POSTER = "poster", _("By the patient, with the poster's code")
    DESK = "desk", _("At the front desk")
