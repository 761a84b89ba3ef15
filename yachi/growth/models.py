import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.growth.choices import Applicability, CouponKind, CouponStatus, PointsReason


class CouponTemplate(BaseModel):
    """What a coupon gives and when it may be used; coupons are issued from it.

    Items are named by plain codes (service codes, product SKUs) because other
    contexts own them. ``issued_count`` only ever grows through a conditional
    ``UPDATE … WHERE issued_count < total_quantity``, and the CHECK below holds even
    if some other writer forgets.
    """

    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CouponKind.choices)
    amount_off_fen = models.PositiveIntegerField(_("amount off (fen)"), default=0)
    # What the patient pays, in percent: 70 is 7折.
    pay_percent = models.PositiveSmallIntegerField(_("pay percent"), null=True, blank=True)
    applies_to = models.CharField(
        _("applies to"), max_length=16, choices=Applicability.choices, default=Applicability.ANY
    )
    item_codes = models.JSONField(_("item codes"), default=list, blank=True)
    min_spend_fen = models.PositiveIntegerField(_("minimum spend (fen)"), default=0)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    valid_days = models.PositiveIntegerField(_("valid days after issue"), null=True, blank=True)
    total_quantity = models.PositiveIntegerField(_("total quantity"), null=True, blank=True)
    issued_count = models.PositiveIntegerField(_("issued"), default=0)
    per_person_limit = models.PositiveIntegerField(_("per person"), null=True, blank=True)
    points_cost = models.PositiveIntegerField(_("points cost"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Set on built-in templates that code asks for by name (see choices.COMPENSATION_TEMPLATE).
    system_key = models.CharField(max_length=32, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("coupon template")
        verbose_name_plural = _("coupon templates")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_quantity__isnull=True) | Q(issued_count__lte=F("total_quantity")),
                name="coupon_template_not_over_issued",
            ),
            models.CheckConstraint(
                condition=~Q(kind=CouponKind.FIXED_AMOUNT) | Q(amount_off_fen__gt=0),
                name="coupon_template_amount_positive",
            ),
            models.CheckConstraint(
                condition=~Q(kind=CouponKind.PERCENTAGE)
                | Q(pay_percent__gte=1, pay_percent__lte=99),
                name="coupon_template_percent_in_range",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=False) | Q(valid_days__gt=0),
                name="coupon_template_has_validity",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Coupon(BaseModel):
    """One patient's coupon. Its status moves only by conditional single-row UPDATEs
    (``… WHERE status = 'available'``), so one coupon is used once, whatever the
    concurrency."""

    template = models.ForeignKey(CouponTemplate, on_delete=models.PROTECT, related_name="coupons")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coupons"
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CouponStatus.choices, default=CouponStatus.AVAILABLE
    )
    issued_reason = models.CharField(_("reason"), max_length=200)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A caller's key (a campaign run, a compensation's visit) that makes issuing once only.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    held_reference = models.CharField(max_length=120, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    discount_fen = models.PositiveIntegerField(default=0)
    redeemed_reference = models.CharField(max_length=120, blank=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["expires_at"]
        indexes = [
            models.Index(fields=["owner", "status"], name="coupon_owner_status"),
            models.Index(fields=["status", "expires_at"], name="coupon_status_expiry"),
            models.Index(fields=["held_reference"], name="coupon_held_reference"),
        ]

    def __str__(self) -> str:
        return self.code


class CouponAllowance(models.Model):
    """How many coupons of a template one person holds, for templates with a per-person
    limit: counted by a conditional F() update like the template's total."""

    template = models.ForeignKey(CouponTemplate, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    issued = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("coupon allowance")
        verbose_name_plural = _("coupon allowances")
        constraints = [
            models.UniqueConstraint(fields=["template", "owner"], name="coupon_allowance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template_id}:{self.owner_id}={self.issued}"


class PointsAccount(models.Model):
    """A patient's points balance: always the sum of their entries, never negative.

    Changed only together with a new entry, by ``UPDATE … SET balance = balance + d
    WHERE balance + d >= 0``; the CHECK keeps it so even for a careless writer.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_account"
    )
    balance = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="points_balance_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.balance}"


class PointsEntry(models.Model):
    """One line of the points ledger. Append-only: a trigger refuses any UPDATE, and a
    correction is a new entry."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_entries"
    )
    delta = models.IntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=16, choices=PointsReason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    # The spend this entry gives back; unique, so a spend is refunded at most once.
    refund_of = models.OneToOneField(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="refunded_by"
    )
    balance_after = models.IntegerField(_("balance"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="points_entry_user_time")]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="points_entry_not_zero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="points_entry_balance"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.delta:+d} ({self.reason})"


# Sub-domains' models, kept under the growth app's label.
# Referrals' and anti-fraud's models live in their sub-packages; imported here so that
# Django finds them.
# Articles, case contests and channel attribution live in their sub-packages; imported
# here so that Django finds them (ADR 0049).
from yachi.growth.articles.models import Article  # noqa: E402, F401
from yachi.growth.attribution.models import (  # noqa: E402, F401
    AdSpend,
    Channel,
    Conversion,
    Touch,
    TrackedLink,
)
from yachi.growth.cases.models import (  # noqa: E402, F401
    CaseAward,
    CaseContest,
    CaseEntry,
    CaseFile,
    CaseScore,
)
from yachi.growth.challenges.models import (  # noqa: E402, F401
    Challenge,
    ChallengeEntry,
    ChallengeReward,
    CheckIn,
)
from yachi.growth.fraud.models import DeviceSighting, RiskReview  # noqa: E402, F401
from yachi.growth.groupbuys.models import Group, GroupBuyCampaign, GroupMember  # noqa: E402, F401
from yachi.growth.referrals.models import (  # noqa: E402, F401
    InviteCode,
    Referral,
    ReferralCampaign,
    ReferralReward,
)
