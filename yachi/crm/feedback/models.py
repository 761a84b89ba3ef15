from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import EncryptedQuerySet, EncryptedTextField
from yachi.core.models import BaseModel

MAX_SCORE = 10
# A score at or below this opens a complaint case (NPS detractors: 0–6).
DETRACTOR_MAX = 6


class Survey(BaseModel):
    """A patient's answer after a completed visit: one per visit (the unique appointment
    is what makes a second answer, even a concurrent one, a 409)."""

    appointment = models.OneToOneField(
        "booking.Appointment", on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = EncryptedTextField(_("comment"), blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=MAX_SCORE), name="crm_survey_score_range"
            )
        ]
        indexes = [models.Index(fields=["clinic", "created_at"], name="crm_survey_by_clinic")]

    def __str__(self) -> str:
        return f"survey {str(self.public_id)[:8]}"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


class Complaint(BaseModel):
    """A complaint case for the clinic manager, opened by a low score (or by staff)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    survey = models.OneToOneField(
        Survey, on_delete=models.PROTECT, related_name="complaint", null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    summary = EncryptedTextField(_("what the patient said"), blank=True)
    resolution_note = EncryptedTextField(_("resolution note"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "resolved"]),
                name="crm_complaint_status",
            ),
            models.CheckConstraint(
                condition=Q(status="resolved", resolved_at__isnull=False)
                | (~Q(status="resolved") & Q(resolved_at__isnull=True)),
                name="crm_complaint_resolved_at",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "status"], name="crm_complaint_by_clinic")]

    def __str__(self) -> str:
        return f"complaint {str(self.public_id)[:8]}"
