from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Method(models.TextChoices):
    EQUAL_PAYMENT = "equal_payment", _("Equal monthly payments")
    EQUAL_PRINCIPAL = "equal_principal", _("Equal principal")


class PlanStatus(models.TextChoices):
    QUOTED = "quoted", _("Quoted")
    APPLIED = "applied", _("Waiting for the partner's decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", pgettext_lazy("instalments", "Declined")
    REPAYING = "repaying", _("Repaying")
    COMPLETED = "completed", _("Repaid")


# A treatment plan has at most one plan in these states (a unique constraint).
LIVE_PLAN_STATUSES = (
    PlanStatus.APPLIED,
    PlanStatus.APPROVED,
    PlanStatus.REPAYING,
    PlanStatus.COMPLETED,
)


class InstalmentStatus(models.TextChoices):
    DUE = "due", _("To repay")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")


class BuyerKind(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    COMPANY = "company", _("Company")


class InvoiceKind(models.TextChoices):
    BLUE = "blue", _("Invoice")
    RED = "red", _("Red-letter invoice")


class InvoiceStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("invoice", "Being issued")
    ISSUED = "issued", pgettext_lazy("invoice", "Issued")
    FAILED = "failed", pgettext_lazy("invoice", "Could not be issued")
    REVERSED = "reversed", pgettext_lazy("invoice", "Reversed by a red-letter invoice")
