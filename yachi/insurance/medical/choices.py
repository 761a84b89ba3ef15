from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogueClass(models.TextChoices):
    """The class of an item in the national catalogue: how much of it the fund pays."""

    A = "A", _("Class A (fully covered)")
    B = "B", _("Class B (partly covered)")
    C = "C", _("Class C (self-paid)")


class SettlementStatus(models.TextChoices):
    PRE_SETTLED = "pre_settled", _("Pre-settled")
    SETTLED = "settled", _("Settled")
    REVERSED = "reversed", _("Reversed")
    REFUNDED = "refunded", _("Refunded")
    # Pre-settled but not taken: a newer pre-settlement replaced it.
    SUPERSEDED = "superseded", _("Replaced by a newer pre-settlement")


class ReconciliationResult(models.TextChoices):
    MATCHED = "matched", _("Matches")
    DIFFERENCES = "differences", _("Differences found")
