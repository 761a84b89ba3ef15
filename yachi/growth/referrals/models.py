from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.growth.referrals.choices import (
    VALID_STATUSES,
    ReferralStatus,
    RewardKind,
    RewardStatus,
)


class ReferralCampaign(BaseModel):
    """What inviting earns, per level: the direct inviter (level 1) and their own
    inviter (level 2), in points or a coupon of a template. The campaign running when an
    invitee signs up is the one their rewards follow."""

    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    level1_kind = models.CharField(
        _("first-level reward"), max_length=8, choices=RewardKind.choices, default=RewardKind.POINTS
    )
    level1_points = models.PositiveIntegerField(_("first-level points"), default=0)
    level1_coupon = models.ForeignKey(
        "growth.CouponTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first-level coupon"),
    )
    level2_kind = models.CharField(
        _("second-level reward"),
        max_length=8,
        choices=RewardKind.choices,
        default=RewardKind.POINTS,
    )
    level2_points = models.PositiveIntegerField(_("second-level points"), default=0)
    level2_coupon = models.ForeignKey(
        "growth.CouponTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second-level coupon"),
    )

    class Meta:
        verbose_name = _("referral campaign")
        verbose_name_plural = _("referral campaigns")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="referral_campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(level1_kind=RewardKind.POINTS) | Q(level1_points__gt=0),
                name="referral_campaign_level1_points",
            ),
            models.CheckConstraint(
                condition=~Q(level1_kind=RewardKind.COUPON) | Q(level1_coupon__isnull=False),
                name="referral_campaign_level1_coupon",
            ),
            models.CheckConstraint(
                condition=~Q(level2_kind=RewardKind.POINTS) | Q(level2_points__gt=0),
                name="referral_campaign_level2_points",
            ),
            models.CheckConstraint(
                condition=~Q(level2_kind=RewardKind.COUPON) | Q(level2_coupon__isnull=False),
                name="referral_campaign_level2_coupon",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InviteCode(BaseModel):
    """A patient's invite code. A code lasts ``YACHI_INVITE_LINK_DAYS``; the patient's
    invite page then shows a new one, and the old code (and every link that carries it)
    is refused as expired. Old codes stay: the referrals they made name them."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("invite code"), max_length=12, unique=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("invite code")
        verbose_name_plural = _("invite codes")
        indexes = [models.Index(fields=["owner", "-expires_at"], name="invite_code_owner_expiry")]

    def __str__(self) -> str:
        return self.code


class Referral(BaseModel):
    """One edge of the referral graph: who invited whom, through which code and
    campaign, from which device and address (kept as keyed hashes), and where it stands.

    An invitee has one inviter: among valid referrals (signed up, first visit done)
    ``invitee`` is unique, so of two links used at once the first to commit wins.
    Refused attempts are kept beside them for fraud review. The second level is not
    stored: it is the inviter's own referral."""

    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    code = models.ForeignKey(InviteCode, on_delete=models.PROTECT, related_name="referrals")
    campaign = models.ForeignKey(
        ReferralCampaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    device_hash = models.CharField(_("device"), max_length=64, blank=True)
    ip_hash = models.CharField(_("address"), max_length=64, blank=True)
    qualified_at = models.DateTimeField(_("first visit"), null=True, blank=True)
    # What qualified it (the visit's reference), for the reward's trail.
    visit_reference = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["inviter", "status"], name="referral_inviter_status"),
            models.Index(fields=["campaign", "status"], name="referral_campaign_status"),
            models.Index(fields=["ip_hash", "created_at"], name="referral_ip_time"),
            models.Index(fields=["device_hash"], name="referral_device"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["invitee"],
                condition=Q(status__in=VALID_STATUSES),
                name="referral_one_inviter",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=VALID_STATUSES) | ~Q(inviter=models.F("invitee")),
                name="referral_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inviter_id}→{self.invitee_id} ({self.status})"


class ReferralReward(BaseModel):
    """A reward of one level for one referral, decided once on the invitee's first
    completed paid visit: paid through the points ledger or a coupon under its own
    idempotency key, or held for review when the screening scored it risky."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="rewards")
    level = models.PositiveSmallIntegerField(_("level"))
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("reward"), max_length=8, choices=RewardKind.choices)
    points = models.PositiveIntegerField(_("points"), default=0)
    coupon_template = models.ForeignKey(
        "growth.CouponTemplate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=RewardStatus.choices)
    idempotency_key = models.CharField(max_length=120, unique=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral reward")
        verbose_name_plural = _("referral rewards")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "level"], name="referral_reward_once"),
            models.CheckConstraint(
                condition=Q(level__in=(1, 2)), name="referral_reward_level_1_or_2"
            ),
            models.CheckConstraint(
                condition=~Q(kind=RewardKind.NONE), name="referral_reward_not_none"
            ),
        ]

    def __str__(self) -> str:
        return self.idempotency_key
