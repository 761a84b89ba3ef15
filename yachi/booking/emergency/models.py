"""Emergency cases and the doctors asked to take them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.booking.choices import EmergencyStatus
from yachi.compliance.facade import (
    EncryptedDecimalField,
    EncryptedQuerySet,
    EncryptedTextField,
)
from yachi.core.models import BaseModel


class EmergencyCase(BaseModel):
    """Acute toothache (急性牙痛): a patient who needs a doctor now.

    The nearest doctors on duty are asked three at a time; the first to accept gets
    the case (a conditional update decides between simultaneous accepts) and an
    emergency appointment at the earliest time they can see the patient.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    pain_level = models.PositiveSmallIntegerField(_("pain (1–10)"))
    symptoms = EncryptedTextField(_("symptoms"), blank=True)
    # Where the patient was: encrypted; distances are computed in Python (ADR 0018).
    latitude = EncryptedDecimalField(max_digits=9, decimal_places=6)
    longitude = EncryptedDecimalField(max_digits=9, decimal_places=6)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EmergencyStatus.choices,
        default=EmergencyStatus.SEARCHING,
    )
    round = models.PositiveSmallIntegerField(default=0)
    round_started_at = models.DateTimeField(null=True, blank=True)
    accepted_doctor = models.ForeignKey(
        "clinics.Doctor", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    eta_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    nearest_clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency")
        verbose_name_plural = _("emergencies")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_level__gte=1, pain_level__lte=10), name="emergency_pain_range"
            ),
        ]

    def __str__(self) -> str:
        return f"emergency {self.public_id} ({self.status})"


class EmergencyDispatch(models.Model):
    """One doctor asked to take one emergency."""

    case = models.ForeignKey(EmergencyCase, on_delete=models.CASCADE, related_name="dispatches")
    doctor = models.ForeignKey("clinics.Doctor", on_delete=models.CASCADE, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField()
    # Three distances to known clinics would place the patient: encrypted as well.
    distance_km = EncryptedDecimalField(max_digits=7, decimal_places=2)
    notified_at = models.DateTimeField()

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "doctor"], name="dispatch_once_per_doctor"),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} → doctor {self.doctor_id}"
