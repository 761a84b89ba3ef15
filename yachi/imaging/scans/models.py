"""Intraoral scans and orthodontic setups (ADR 0062); the imaging app's models module
imports them so that they live in its migrations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import EncryptedCharField, EncryptedJSONField, EncryptedQuerySet
from yachi.core.models import BaseModel
from yachi.imaging.storage import image_storage


class Jaw(models.TextChoices):
    UPPER = "upper", _("Upper jaw")
    LOWER = "lower", _("Lower jaw")


class Scan(BaseModel):
    """One jaw of one intraoral scan, kept as the decimated GLB the viewers draw."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    jaw = models.CharField(_("jaw"), max_length=5, choices=Jaw.choices)
    taken_on = models.DateField(_("taken on"))
    description = EncryptedCharField(_("description"), max_length=120, blank=True)
    source_format = models.CharField(max_length=3)
    source_size = models.PositiveBigIntegerField()
    source_triangles = models.PositiveIntegerField()
    triangles = models.PositiveIntegerField()
    watertight = models.BooleanField(default=False)
    synthetic = models.BooleanField(default=False)
    size = models.PositiveBigIntegerField()
    # The GLB, SM4-encrypted, under a random name on this machine's disk.
    file = models.FileField(storage=image_storage, upload_to="scans/%Y/%m/", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("intraoral scan")
        verbose_name_plural = _("intraoral scans")
        indexes = [models.Index(fields=["patient", "-taken_on"], name="scan_patient_taken")]
        constraints = [
            models.CheckConstraint(
                condition=Q(triangles__gt=0) & Q(source_triangles__gte=models.F("triangles")),
                name="scan_has_triangles",
            ),
            models.CheckConstraint(condition=Q(jaw__in=["upper", "lower"]), name="scan_jaw"),
        ]

    def __str__(self) -> str:
        return f"{self.jaw} scan {self.public_id}"


class ArchSetup(BaseModel):
    """What the doctor recorded for an aligner plan: per tooth, how far it stands today
    from its planned place (``staging.Movement``'s fields), encrypted."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    plan_id = models.UUIDField(_("treatment plan"))
    movements = EncryptedJSONField(_("tooth movements"), default=dict)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("aligner setup")
        verbose_name_plural = _("aligner setups")
        constraints = [
            models.UniqueConstraint(fields=["plan_id"], name="one_setup_per_plan"),
        ]

    def __str__(self) -> str:
        return f"setup {self.public_id}"
