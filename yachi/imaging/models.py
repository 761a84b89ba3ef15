"""X-ray studies and their images (ADR 0060).

A study is what an X-ray unit sends under one Study Instance UID at one clinic; each of
its images is one SOP instance, kept whole as the unit sent it (a CBCT series is its many
slices under one series UID). Marks on an image (the AI's suggestions, the doctor's
findings) will point at ``Image`` rows of their own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import EncryptedCharField, EncryptedQuerySet
from yachi.core.models import BaseModel
from yachi.imaging.choices import ArchiveKind, Modality, UnmatchedReason
from yachi.imaging.storage import image_storage

UID_LENGTH = 64  # PS3.5 9.1: a UID is at most 64 characters


class Study(BaseModel):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    # None while the study waits in the clinic's unmatched queue.
    patient = models.ForeignKey(
        "patients.Patient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    study_uid = models.CharField(_("Study Instance UID"), max_length=UID_LENGTH)
    modality = models.CharField(_("modality"), max_length=2, choices=Modality.choices)
    taken_at = models.DateTimeField(_("taken at"))
    description = EncryptedCharField(_("description"), max_length=64, blank=True)
    # What the unit sent, kept for the queue and for checking a match.
    sent_patient_id = EncryptedCharField(_("Patient ID sent"), max_length=64, blank=True)
    sent_patient_name = EncryptedCharField(_("patient name sent"), max_length=64, blank=True)
    unmatched_reason = models.CharField(
        _("why unmatched"), max_length=24, choices=UnmatchedReason.choices, blank=True
    )
    sent_by = models.CharField(_("sending AE title"), max_length=16, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("X-ray study")
        verbose_name_plural = _("X-ray studies")
        constraints = [
            models.UniqueConstraint(fields=["clinic", "study_uid"], name="study_uid_per_clinic"),
        ]
        indexes = [
            models.Index(fields=["patient", "-taken_at"], name="study_patient_taken"),
            models.Index(
                fields=["clinic", "-created_at"],
                name="study_unmatched",
                condition=Q(patient__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.modality} study {self.public_id}"


class Image(BaseModel):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="images")
    sop_instance_uid = models.CharField(max_length=UID_LENGTH, unique=True)
    sop_class_uid = models.CharField(max_length=UID_LENGTH)
    series_uid = models.CharField(max_length=UID_LENGTH)
    series_number = models.IntegerField(null=True, blank=True)
    instance_number = models.IntegerField(null=True, blank=True)
    modality = models.CharField(max_length=2, choices=Modality.choices)
    rows = models.PositiveIntegerField()
    columns = models.PositiveIntegerField()
    frames = models.PositiveIntegerField(default=1)
    size = models.PositiveBigIntegerField()
    # Which archive keeps the Part 10 file as received (ADR 0063): this machine's disk,
    # SM4-encrypted under a random name in ``file``, or the PACS, which files it by UIDs.
    archive = models.CharField(max_length=8, choices=ArchiveKind.choices, default=ArchiveKind.LOCAL)
    file = models.FileField(
        storage=image_storage, upload_to="imaging/%Y/%m/", max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("X-ray image")
        verbose_name_plural = _("X-ray images")
        ordering = ["series_number", "instance_number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows__gt=0) & Q(columns__gt=0) & Q(frames__gt=0),
                name="image_has_pixels",
            ),
            models.CheckConstraint(
                condition=Q(archive="pacs", file="") | (Q(archive="local") & ~Q(file="")),
                name="image_archive_has_it",
            ),
        ]

    def __str__(self) -> str:
        return f"image {self.public_id}"


# Intraoral scans and aligner setups (ADR 0062) and the caries marks (ADR 0061) live in their
# sub-packages and keep the context's app label.
from yachi.imaging.caries.models import CariesAnalysis, CariesDecision, CariesMark  # noqa: E402
from yachi.imaging.scans.models import ArchSetup, Jaw, Scan  # noqa: E402

__all__ = [
    "ArchSetup",
    "CariesAnalysis",
    "CariesDecision",
    "CariesMark",
    "Image",
    "Jaw",
    "Scan",
    "Study",
]
