"""Caries marks on X-ray images (ADR 0061).

An ``CariesAnalysis`` is one model version's run over one image (once per image and version);
its ``CariesMark``s are the regions it suspects, each with a box in the image's own pixels, a
tooth when the image says which teeth it shows, and a probability. Doctors confirm or
reject them and add what the model missed (marks of source ``doctor``, confirmed, under
the version they were reviewing). Every decision is a ``CariesDecision`` row as well.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.imaging.caries.choices import AnalysisStatus, MarkSource, MarkStatus


class CariesAnalysis(BaseModel):
    image = models.ForeignKey("imaging.Image", on_delete=models.CASCADE, related_name="+")
    model_version = models.CharField(_("model version"), max_length=40)
    status = models.CharField(max_length=8, choices=AnalysisStatus.choices)
    seconds = models.FloatField(default=0)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("caries analysis")
        verbose_name_plural = _("caries analyses")
        constraints = [
            models.UniqueConstraint(
                fields=["image", "model_version"], name="caries_analysis_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model_version} on image {self.image_id}"


class CariesMark(BaseModel):
    image = models.ForeignKey("imaging.Image", on_delete=models.CASCADE, related_name="+")
    analysis = models.ForeignKey(
        CariesAnalysis, on_delete=models.CASCADE, null=True, blank=True, related_name="marks"
    )
    source = models.CharField(_("source"), max_length=8, choices=MarkSource.choices)
    status = models.CharField(_("status"), max_length=10, choices=MarkStatus.choices)
    # The box in the image's own pixels: x0, y0 inclusive; x1, y1 exclusive.
    x0 = models.PositiveIntegerField()
    y0 = models.PositiveIntegerField()
    x1 = models.PositiveIntegerField()
    y1 = models.PositiveIntegerField()
    tooth = models.CharField(_("tooth"), max_length=2, blank=True)
    probability = models.FloatField(_("probability"), null=True, blank=True)
    model_version = models.CharField(_("model version"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("caries mark")
        verbose_name_plural = _("caries marks")
        ordering = ["image_id", "-probability", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(x1__gt=models.F("x0")) & Q(y1__gt=models.F("y0")),
                name="caries_mark_box_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(probability__isnull=True)
                | (Q(probability__gte=0) & Q(probability__lte=1)),
                name="caries_mark_probability_0_1",
            ),
            # The model's marks carry its probability; a doctor's mark is a decision.
            models.CheckConstraint(
                condition=(
                    Q(source=MarkSource.AI, probability__isnull=False, analysis__isnull=False)
                    | (Q(source=MarkSource.DOCTOR) & ~Q(status=MarkStatus.SUGGESTED))
                ),
                name="caries_mark_source_fits",
            ),
            models.CheckConstraint(
                condition=Q(status=MarkStatus.SUGGESTED, reviewed_at__isnull=True)
                | (~Q(status=MarkStatus.SUGGESTED) & Q(reviewed_at__isnull=False)),
                name="caries_mark_reviewed_when_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["model_version", "reviewed_at"], name="caries_mark_reviews"),
        ]

    def __str__(self) -> str:
        return f"caries mark {self.public_id}"

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.x0, self.y0, self.x1, self.y1)


class CariesDecision(models.Model):
    """One doctor's word on a mark, kept as said (a changed mind is a second row)."""

    mark = models.ForeignKey(CariesMark, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(max_length=10, choices=MarkStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("caries mark decision")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.status} of mark {self.mark_id}"
