from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import EncryptedCharField, EncryptedQuerySet
from yachi.core.models import BaseModel


class TagKind(models.TextChoices):
    VALUE = "value", _("Value")
    SENSITIVITY = "sensitivity", _("Sensitivity")
    RISK = "risk", _("Risk")
    MANUAL = "manual", _("Manual")


class TagSource(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    MANUAL = "manual", _("Added by staff")


class TagDefinition(BaseModel):
    """A tag managers can name, describe, switch off and tune (``thresholds``); the
    computed ones are seeded from ``rules.DEFAULTS``, manual ones added in the console."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    label_zh = models.CharField(_("Chinese name"), max_length=32)
    label_en = models.CharField(_("English name"), max_length=48, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=TagKind.choices)
    thresholds = models.JSONField(_("thresholds"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("tag definition")
        verbose_name_plural = _("tag definitions")

    def __str__(self) -> str:
        return self.code

    def label(self, language: str) -> str:
        if language.startswith("zh") or not self.label_en:
            return self.label_zh
        return self.label_en


class PatientTag(BaseModel):
    """A tag a patient carries now, with why: a computed tag's reason (replaced at each
    refresh, removed when it no longer holds) or the note of the staff member who added
    a manual one. The reason is personal data and stored encrypted."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    definition = models.ForeignKey(TagDefinition, on_delete=models.CASCADE, related_name="tags")
    source = models.CharField(max_length=12, choices=TagSource.choices)
    # The clinic a computed tag compares the patient within (their home clinic).
    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    reason = EncryptedCharField(_("reason"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("patient tag")
        verbose_name_plural = _("patient tags")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "definition"], name="crm_patient_tag_unique"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["computed", "manual"]), name="crm_patient_tag_source"
            ),
        ]
        indexes = [models.Index(fields=["definition", "patient"], name="crm_tag_by_definition")]

    def __str__(self) -> str:
        return f"{self.definition_id}:{self.patient_id}"
