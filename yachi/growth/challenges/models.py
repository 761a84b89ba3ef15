"""Check-in challenges (打卡): "连续 7 天刷牙打卡" → a coupon (ADR 0048).

They belong to the growth app (label ``growth``); ``yachi.growth.models`` imports them.
A day is a date at the clinic's time zone; one check-in per person per challenge per day
and one reward per person per challenge are unique constraints.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel
from yachi.growth.challenges.choices import ChallengeStatus, CheckInSource


class Challenge(BaseModel):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("challenge name"), max_length=64)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    days_required = models.PositiveSmallIntegerField(_("days in a row"))
    reward_template = models.ForeignKey(
        "growth.CouponTemplate",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reward coupon"),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=12, choices=ChallengeStatus.choices, default=ChallengeStatus.RUNNING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("check-in challenge")
        verbose_name_plural = _("check-in challenges")
        ordering = ["-starts_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days_required__gte=2, days_required__lte=100),
                name="challenge_days_required_range",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="challenge_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ChallengeEntry(BaseModel):
    """One person's streak in one challenge, moved under its row's lock by each check-in."""

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    current_streak = models.PositiveSmallIntegerField(_("days in a row"), default=0)
    best_streak = models.PositiveSmallIntegerField(_("best run"), default=0)
    last_day = models.DateField(_("last check-in"), null=True, blank=True)
    check_in_count = models.PositiveIntegerField(_("check-ins"), default=0)

    class Meta:
        verbose_name = _("challenge participant")
        verbose_name_plural = _("challenge participants")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="challenge_entry_once"),
            models.CheckConstraint(
                condition=Q(best_streak__gte=F("current_streak")), name="challenge_best_is_best"
            ),
        ]

    def __str__(self) -> str:
        return f"entry {str(self.public_id)[:8]}"


class CheckIn(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="check_ins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    source = models.CharField(
        _("source"), max_length=12, choices=CheckInSource.choices, default=CheckInSource.APP
    )
    # When the check-in was made (the service's clock): anti-fraud reads the pattern.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "user", "day"], name="challenge_check_in_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"check-in {self.day}"


class ChallengeReward(models.Model):
    """The one reward of a person in a challenge: the coupon it issued (whose own
    idempotency key is derived from this pair too)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="rewards")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    coupon_id = models.UUIDField(unique=True)
    streak = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("challenge reward")
        verbose_name_plural = _("challenge rewards")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="challenge_reward_once")
        ]

    def __str__(self) -> str:
        return f"reward {self.pk}"
