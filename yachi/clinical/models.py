"""The tooth chart's entries and treatment plans (ADR 0059).

``ChartEntry`` rows are inserted, never updated or deleted (migration 0001's triggers
refuse it on both databases): the current chart is derived from them in
``odontogram.chart``. A mistake is withdrawn by a new entry that ``corrects`` it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.clinical.choices import Finding, ItemResult, ItemStatus, PlanStatus
from yachi.clinical.odontogram.teeth import ALL_TEETH
from yachi.compliance.facade import EncryptedCharField, EncryptedQuerySet, EncryptedTextField
from yachi.core.models import BaseModel

SURFACE_SETS = Q(surfaces__regex=r"^M?O?D?B?L?$")


class ChartEntry(BaseModel):
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey(
        "clinics.Doctor", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    tooth = models.CharField(_("tooth"), max_length=2)
    surfaces = models.CharField(_("surfaces"), max_length=5, blank=True)
    kind = models.CharField(_("finding"), max_length=16, choices=Finding.choices)
    seen_on = models.DateField(_("seen on"))
    note = EncryptedTextField(_("note"), blank=True)
    # The entry this one withdraws (recorded in error), and why.
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction"
    )
    plan_item = models.ForeignKey(
        "clinical.PlanItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chart entry")
        verbose_name_plural = _("chart entries")
        ordering = ["seen_on", "pk"]
        indexes = [models.Index(fields=["patient", "seen_on"], name="chart_entry_patient")]
        constraints = [
            models.CheckConstraint(condition=Q(tooth__in=ALL_TEETH), name="chart_entry_fdi_tooth"),
            models.CheckConstraint(
                condition=Q(kind__in=Finding.values), name="chart_entry_kind_known"
            ),
            models.CheckConstraint(condition=SURFACE_SETS, name="chart_entry_surfaces_known"),
            models.CheckConstraint(
                condition=~Q(kind__in=["caries", "filling", "sealant"]) | ~Q(surfaces=""),
                name="chart_entry_surface_finding_has_surfaces",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tooth} {self.kind} {self.surfaces}".strip()


class TreatmentPlan(BaseModel):
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey("clinics.Doctor", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=80)
    note = EncryptedTextField(_("note for the patient"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # Raised whenever what the patient accepts changes: an acceptance names the revision.
    revision = models.PositiveIntegerField(default=1)
    total_fen = models.PositiveIntegerField(default=0)
    proposed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("treatment plan")
        verbose_name_plural = _("treatment plans")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "status"], name="plan_patient_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanPhase(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("phase"), max_length=80)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="plan_phase_position_unique")
        ]

    def __str__(self) -> str:
        return self.title


class PlanItem(BaseModel):
    phase = models.ForeignKey(PlanPhase, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    tooth = models.CharField(_("tooth"), max_length=2, blank=True)  # blank: the whole mouth
    surfaces = models.CharField(_("surfaces"), max_length=5, blank=True)
    service_code = models.SlugField(_("service"), max_length=32)
    description = models.CharField(_("procedure"), max_length=120)
    unit_fen = models.PositiveIntegerField(_("price (fen)"))
    quantity = models.PositiveSmallIntegerField(default=1)
    result = models.CharField(
        _("on the chart when done"), max_length=16, choices=ItemResult.choices, blank=True
    )
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.ForeignKey(
        "payments.PaymentIntent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        "clinics.Doctor", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["phase__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "position"], name="plan_item_position_unique"),
            models.CheckConstraint(
                condition=Q(tooth="") | Q(tooth__in=ALL_TEETH), name="plan_item_fdi_tooth"
            ),
            models.CheckConstraint(condition=SURFACE_SETS, name="plan_item_surfaces_known"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=99), name="plan_item_quantity_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="plan_item_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False), name="plan_item_done_when"
            ),
        ]

    @property
    def total_fen(self) -> int:
        return self.unit_fen * self.quantity

    def __str__(self) -> str:
        return f"{self.tooth} {self.description}".strip()


class PlanAcceptance(BaseModel):
    """The patient's signed acceptance of one revision of a plan's estimate."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="acceptances")
    revision = models.PositiveIntegerField()
    total_fen = models.PositiveIntegerField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The name the patient typed to sign, and the consent text's words they agreed to.
    signature = EncryptedCharField(_("signature"), max_length=64)
    consent_text = models.TextField()

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "revision"], name="plan_acceptance_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan} r{self.revision}"
