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
    WAITLIST = "waitlist", _("Waitlist")
    EMERGENCY = "emergency", _("Emergency")


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a time")
    BOOKED = "booked", _("Booked")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class EmergencyStatus(models.TextChoices):
    SEARCHING = "searching", _("Looking for a doctor")
    ACCEPTED = "accepted", _("A doctor is waiting")
    UNAVAILABLE = "unavailable", _("No doctor available")
    CANCELLED = "cancelled", _("Cancelled")


class VoucherStatus(models.TextChoices):
    UNUSED = "unused", _("Not used yet")
    BOOKED = "booked", _("Booked")
    USED = "used", _("Used")
    EXPIRED = "expired", _("Expired")
    REFUNDED = "refunded", _("Refunded")
