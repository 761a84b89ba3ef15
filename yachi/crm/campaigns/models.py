"""Campaigns: a saved segment as the audience of a message or a coupon."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.crm.campaigns.choices import CampaignKind, CampaignStatus, RecipientOutcome


class Campaign(BaseModel):
    """One sending to a segment's patients, frozen when it starts (``recipients``)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    segment = models.ForeignKey("crm.Segment", on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("campaign name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=CampaignKind.choices)
    # The message's words (checked against the advertising rules before they are kept).
    text = models.CharField(_("message"), max_length=200, blank=True)
    channels = models.JSONField(_("sent by"), default=list)
    # A coupon campaign's template (growth's public id) and its name as it was.
    coupon_template = models.CharField(max_length=36, blank=True)
    coupon_name = models.CharField(_("coupon"), max_length=64, blank=True)
    status = models.CharField(
        _("state"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    audience = models.PositiveIntegerField(_("audience"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=CampaignKind.COUPON) | ~Q(coupon_template=""),
                name="crm_campaign_coupon_named",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Recipient(BaseModel):
    """One patient of a campaign: written before anything is sent, unique per campaign,
    so that a job run twice reaches nobody twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=RecipientOutcome.choices,
        default=RecipientOutcome.PENDING,
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("campaign recipient")
        verbose_name_plural = _("campaign recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "patient"], name="crm_recipient_once_per_campaign"
            )
        ]
        indexes = [models.Index(fields=["campaign", "outcome"], name="crm_recipient_outcome")]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.patient_id}"
