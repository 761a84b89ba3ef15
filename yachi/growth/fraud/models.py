from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.growth.fraud.choices import ReviewStatus, SightingKind


class DeviceSighting(models.Model):
    """An account seen on a device from an address, at sign-up or login. The device is
    its fingerprint and the address its keyed hash (and its /24 or /64 network's), so
    that accounts sharing them can be counted without keeping either in clear."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=SightingKind.choices)
    device_hash = models.CharField(_("device"), max_length=64, blank=True)
    ip_hash = models.CharField(_("address"), max_length=64, blank=True)
    network_hash = models.CharField(_("network"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("device sighting")
        verbose_name_plural = _("device sightings")
        indexes = [
            models.Index(fields=["device_hash", "user"], name="sighting_device_user"),
            models.Index(fields=["ip_hash", "created_at"], name="sighting_ip_time"),
            models.Index(fields=["user", "-created_at"], name="sighting_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.device_hash[:8]}"


class RiskReview(BaseModel):
    """The screening of one rewardable event: its score and reasons, and what became of
    it. Below the threshold it is cleared and paid at once; above, held until staff
    approve (then paid once, by the reward's owner) or reject it.

    ``key`` is the reward's own idempotency key, unique: an event is screened once."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(_("reward"), max_length=32)
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("what"), max_length=200, blank=True)
    score = models.PositiveSmallIntegerField(_("risk score"))
    # [{"rule": ..., "score": ..., "facts": {...}}], as the rules found them.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk review")
        verbose_name_plural = _("risk reviews")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="risk_review_status"),
            models.Index(fields=["beneficiary", "-created_at"], name="risk_review_beneficiary"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.score} ({self.status})"

    @property
    def payable(self) -> bool:
        """Cleared at once or approved by staff: held and rejected rewards are not paid."""
        return self.status in (ReviewStatus.CLEARED, ReviewStatus.APPROVED)
