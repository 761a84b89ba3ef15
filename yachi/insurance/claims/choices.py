from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("Submitted")
    MORE_DOCUMENTS = "more_documents", _("More documents needed")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


# The insurer's word for a status, as its API sends it.
INSURER_STATUSES = {
    "submitted": ClaimStatus.SUBMITTED,
    "more_documents": ClaimStatus.MORE_DOCUMENTS,
    "approved": ClaimStatus.APPROVED,
    "paid": ClaimStatus.PAID,
    "rejected": ClaimStatus.REJECTED,
}
FINAL = (ClaimStatus.PAID, ClaimStatus.REJECTED)


class Insurer(models.TextChoices):
    PICC = "picc", _("PICC")
    PINGAN = "pingan", _("Ping An")
    CPIC = "cpic", _("CPIC")
    CHINALIFE = "chinalife", _("China Life")


class DocumentKind(models.TextChoices):
    ITEMISED_BILL = "itemised_bill", _("Itemised bill")
    INVOICE = "invoice", _("Invoice")
    XRAY = "xray", _("X-ray")
    DIAGNOSIS = "diagnosis", _("Diagnosis certificate")
