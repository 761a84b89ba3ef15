"""Instalment plans and their instalments, the partner's callbacks; invoice buyers and
invoices. Amounts are integer fen; the buyer's name and tax number are encrypted."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import EncryptedCharField, EncryptedQuerySet
from yachi.core.models import BaseModel
from yachi.financing.choices import (
    LIVE_PLAN_STATUSES,
    BuyerKind,
    InstalmentStatus,
    InvoiceKind,
    InvoiceStatus,
    Method,
    PlanStatus,
)


class InstalmentPlan(BaseModel):
    """A quote the patient may agree to; once agreed, the application to the partner and
    the schedule the patient repays."""

    treatment_plan = models.ForeignKey(
        "clinical.TreatmentPlan", on_delete=models.PROTECT, related_name="+"
    )
    # The revision of the treatment plan quoted: a changed plan needs a new quote.
    plan_revision = models.PositiveIntegerField()
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    # The account holder who borrows and repays (the family's adult).
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    product = models.CharField(max_length=32)
    partner = models.CharField(max_length=32)
    months = models.PositiveSmallIntegerField()
    method = models.CharField(max_length=16, choices=Method.choices)
    principal_fen = models.PositiveIntegerField()
    annual_rate = models.DecimalField(max_digits=6, decimal_places=4)
    apr = models.DecimalField(max_digits=6, decimal_places=4)
    total_interest_fen = models.PositiveIntegerField()
    # What the clinic pays the partner when the patient pays no interest.
    clinic_fee_fen = models.PositiveIntegerField(default=0)
    clinic_apr = models.DecimalField(max_digits=6, decimal_places=4, default=0)
    start_date = models.DateField()
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.QUOTED)
    quote_expires_at = models.DateTimeField()
    # The two separate agreements: the loan's terms, and sharing data with the partner.
    terms_agreed_at = models.DateTimeField(null=True, blank=True)
    terms_words = models.TextField(blank=True)
    sharing_agreed_at = models.DateTimeField(null=True, blank=True)
    sharing_words = models.TextField(blank=True)
    # Our number for the application, the partner's id for it, its decision.
    application_no = models.CharField(max_length=32, unique=True)
    partner_reference = models.CharField(max_length=64, blank=True)
    decision_reason = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    disbursed_fen = models.PositiveIntegerField(default=0)
    disbursed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="instalment_plan_status_known"
            ),
            models.CheckConstraint(
                condition=Q(months__in=(3, 6, 12, 24)), name="instalment_plan_months_offered"
            ),
            models.CheckConstraint(
                condition=Q(principal_fen__gt=0), name="instalment_plan_principal_positive"
            ),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.QUOTED)
                | Q(terms_agreed_at__isnull=False, sharing_agreed_at__isnull=False),
                name="instalment_plan_agreed_before_applying",
            ),
            models.CheckConstraint(
                condition=Q(disbursed_fen__lte=F("principal_fen")),
                name="instalment_plan_disbursed_at_most_principal",
            ),
            # One live plan per treatment plan, whatever the concurrency.
            models.UniqueConstraint(
                fields=["treatment_plan"],
                condition=Q(status__in=LIVE_PLAN_STATUSES),
                name="instalment_plan_one_live_per_treatment_plan",
            ),
        ]

    def __str__(self):
        return self.application_no


class Instalment(models.Model):
    plan = models.ForeignKey(InstalmentPlan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    principal_fen = models.PositiveIntegerField()
    interest_fen = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=InstalmentStatus.choices, default=InstalmentStatus.DUE
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="instalment_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=InstalmentStatus.values), name="instalment_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=InstalmentStatus.PAID) | Q(paid_at__isnull=False),
                name="instalment_paid_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="instalment_status_due")]

    def __str__(self):
        return f"{self.plan_id}#{self.number}"

    @property
    def amount_fen(self) -> int:
        return self.principal_fen + self.interest_fen


class PartnerEvent(models.Model):
    """A callback from a partner, applied once: its event id is unique per partner."""

    partner = models.CharField(max_length=32)
    event_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=32)
    plan = models.ForeignKey(InstalmentPlan, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "event_id"], name="partner_event_once")
        ]

    def __str__(self):
        return f"{self.partner}:{self.event_id}"


class InvoiceBuyer(BaseModel):
    """Whom a patient's invoices are made out to, entered once and kept (encrypted)."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=BuyerKind.choices)
    name = EncryptedCharField(_("buyer"), max_length=100)
    tax_number = EncryptedCharField(_("tax number"), max_length=18, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=BuyerKind.values), name="invoice_buyer_kind_known"
            )
        ]

    def __str__(self):
        return str(self.public_id)


class Invoice(BaseModel):
    """An electronic invoice of a payment (blue), or the red-letter one that reverses a
    refunded amount of it."""

    payment = models.ForeignKey(
        "payments.PaymentIntent", on_delete=models.PROTECT, related_name="+"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=InvoiceKind.choices)
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="red_letters"
    )
    # Our request number: the provider's idempotency key. A red letter's carries the refund.
    request_no = models.CharField(max_length=64, unique=True)
    amount_fen = models.PositiveIntegerField()
    buyer_kind = models.CharField(max_length=16, choices=BuyerKind.choices)
    buyer_name = EncryptedCharField(max_length=100)
    buyer_tax_number = EncryptedCharField(max_length=18, blank=True)
    status = models.CharField(
        max_length=16, choices=InvoiceStatus.choices, default=InvoiceStatus.REQUESTED
    )
    invoice_number = models.CharField(max_length=32, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InvoiceKind.values), name="invoice_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvoiceStatus.values), name="invoice_status_known"
            ),
            models.CheckConstraint(
                condition=Q(kind=InvoiceKind.BLUE, original__isnull=True)
                | Q(kind=InvoiceKind.RED, original__isnull=False),
                name="invoice_red_names_its_original",
            ),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="invoice_amount_positive"),
            # One blue invoice per payment.
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(kind=InvoiceKind.BLUE),
                name="invoice_one_blue_per_payment",
            ),
        ]

    def __str__(self):
        return self.invoice_number or self.request_no
