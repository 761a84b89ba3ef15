from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    AFTER_SERVICE = "after_service", _("Days after a treatment")
    BIRTHDAY = "birthday", _("Birthday")


class Action(models.TextChoices):
    MESSAGE = "message", _("Reminder message")
    MESSAGE_COUPON = "message_coupon", _("Reminder with the 洁牙7折 coupon")
    FOLLOW_UP = "follow_up", _("Follow-up call task")
    POINTS = "points", _("Greeting with points")


class Group(models.TextChoices):
    REACHED = "reached", _("Reached")
    SKIPPED = "skipped", _("Skipped")
    HOLDOUT = "holdout", _("Held out")


class SkipReason(models.TextChoices):
    NO_CONSENT = "no_consent", _("Refused offers")
    REMOVED = "removed", _("No longer a patient")
    BOOKED = "booked", _("Already booked")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To call")
    DONE = "done", _("Called")


class CallOutcome(models.TextChoices):
    WELL = "well", _("Recovering well")
    DISCOMFORT = "discomfort", _("Some discomfort, advice given")
    REVIEW = "review", _("Needs a review visit")
    UNREACHABLE = "unreachable", _("Could not be reached")


# A day missed by the job is caught up for this long; older occurrences are let go.
CATCH_UP_DAYS = 7
# How long after a rule's touch a booking counts as its effect.
EFFECT_DAYS = 30
