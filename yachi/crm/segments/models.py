"""Saved segments: a clinic's named audience definition (validated JSON, ``definition.py``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel


class Segment(BaseModel):
    """A named definition of whom a clinic means: criteria in AND / OR groups over the
    patients seen at ``clinic``. The count is remembered with when it was taken."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("segment name"), max_length=64)
    definition = models.JSONField(_("criteria"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    last_count = models.PositiveIntegerField(_("patients"), null=True, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["clinic", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="crm_segment_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
