from django.db import models
from django.utils.translation import gettext_lazy as _


class RewardKind(models.TextChoices):
    NONE = "none", _("No reward")
    POINTS = "points", _("Points")
    COUPON = "coupon", _("Coupon")


class ReferralStatus(models.TextChoices):
    # Signed up through the invitation; waiting for the first completed paid visit.
    PENDING = "pending", _("Signed up")
    # The first completed paid visit happened: the rewards were decided.
    QUALIFIED = "qualified", _("First visit done")
    # Refused attempts stay in the graph: fraud review reads them (a ring closes on one).
    REFUSED_SELF = "refused_self", _("Refused: own invitation")
    REFUSED_EXISTING = "refused_existing", _("Refused: already a patient")
    REFUSED_EXPIRED = "refused_expired", _("Refused: invitation expired")


# The statuses of a valid referral: an invitee has at most one (a database constraint).
VALID_STATUSES = (ReferralStatus.PENDING, ReferralStatus.QUALIFIED)


class RewardStatus(models.TextChoices):
    HELD = "held", _("Held for review")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
