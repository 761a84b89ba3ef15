"""Accident and dental insurance claims (理赔): one case per treatment bill and insurer."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import EncryptedCharField, EncryptedQuerySet, EncryptedTextField
from yachi.core.models import BaseModel
from yachi.insurance.claims.choices import ClaimStatus, DocumentKind, Insurer


class ClaimCase(BaseModel):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    # The account holder who sees the claim in the app, and the family member treated.
    payer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(
        "payments.PaymentIntent", on_delete=models.PROTECT, related_name="+"
    )
    bill_id = models.UUIDField()
    insurer = models.CharField(_("insurer"), max_length=12, choices=Insurer.choices)
    policy_number = EncryptedCharField(_("policy number"), max_length=40)
    accident_date = models.DateField(_("date of the accident"))
    accident_description = EncryptedTextField(_("what happened"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    claimed_fen = models.PositiveIntegerField(_("claimed (fen)"))
    approved_fen = models.PositiveIntegerField(_("approved (fen)"), null=True, blank=True)
    paid_fen = models.PositiveIntegerField(_("paid (fen)"), null=True, blank=True)
    insurer_claim_number = models.CharField(_("insurer's claim number"), max_length=40, blank=True)
    insurer_note = models.CharField(_("insurer's note"), max_length=200, blank=True)
    opened_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("insurance claim")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bill_id", "insurer"], name="claim_one_per_bill_insurer"
            ),
            models.UniqueConstraint(
                fields=["insurer", "insurer_claim_number"],
                condition=~Q(insurer_claim_number=""),
                name="claim_insurer_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_insurer_display()} {self.insurer_claim_number or self.public_id}"


class ClaimDocument(models.Model):
    """A document sent to the insurer: which, when, and the digest of the bytes sent (the
    PDF itself is made again from the platform's data when someone opens it)."""

    case = models.ForeignKey(ClaimCase, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:8]}"


class ClaimEvent(models.Model):
    """The case's history: each status it took, with the insurer's note."""

    case = models.ForeignKey(ClaimCase, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.status
