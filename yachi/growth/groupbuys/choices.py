from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RUNNING = "running", _("Running")
    STOPPED = "stopped", _("Stopped")


class GroupStatus(models.TextChoices):
    # The leader has started the group and is paying; nobody else may join yet.
    PENDING = "pending", _("Waiting for the leader's payment")
    OPEN = "open", _("Forming")
    FULL = "full", _("Confirmed")
    DISSOLVED = "dissolved", _("Dissolved")
    # The leader did not pay: the group never opened.
    CANCELLED = "cancelled", _("Cancelled")


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("Paying")
    PAID = "paid", _("Paid")
    # The payment closed unpaid: the place went back to the group.
    RELEASED = "released", _("Place given back")
    REFUNDED = "refunded", _("Refunded")


# The memberships that hold a place in their group.
HOLDING = (MemberStatus.PENDING, MemberStatus.PAID)
# Groups that still take members (or will, once the leader paid) and can still dissolve.
FORMING = (GroupStatus.PENDING, GroupStatus.OPEN)
