from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yachi.compliance.facade import EncryptedQuerySet, EncryptedTextField
from yachi.core.models import BaseModel


class SplitRule(models.TextChoices):
    EQUAL = "equal", _("Equal shares")
    SCORES = "scores", _("By the judges' scores")


class PrizeKind(models.TextChoices):
    POINTS = "points", _("Points")
    COUPON = "coupon", _("Coupons")


class ContestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for entries")
    JUDGING = "judging", _("Judging")
    AWARDED = "awarded", _("Prizes paid")


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")
    WITHDRAWN = "withdrawn", pgettext_lazy("case entry", "Withdrawn")


class AwardStatus(models.TextChoices):
    PAID = "paid", _("Paid")
    HELD = "held", _("Held for review")
    REJECTED = "rejected", _("Rejected after review")


class FileStage(models.TextChoices):
    BEFORE = "before", _("Before treatment")
    AFTER = "after", _("After treatment")


class CaseContest(BaseModel):
    """A case contest (病例征集): patients enter their orthodontic before/after pictures
    under a separate consent; the prize pool is split among the winners.

    The title and description are promotional text (checked); the contest's page never
    shows an entry."""

    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    prize_pool_fen = models.PositiveBigIntegerField(_("prize pool (fen)"))
    winners = models.PositiveSmallIntegerField(_("number of winners"))
    split_rule = models.CharField(
        _("split rule"), max_length=16, choices=SplitRule.choices, default=SplitRule.EQUAL
    )
    prize_kind = models.CharField(
        _("paid as"), max_length=16, choices=PrizeKind.choices, default=PrizeKind.POINTS
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ContestStatus.choices, default=ContestStatus.DRAFT
    )
    awarded_at = models.DateTimeField(_("prizes paid"), null=True, blank=True)
    check_hits = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("case contest")
        verbose_name_plural = _("case contests")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(prize_pool_fen__gt=0), name="case_contest_pool"),
            models.CheckConstraint(condition=Q(winners__gte=1), name="case_contest_winners"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="case_contest_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CaseEntry(BaseModel):
    """One patient's entry. Seen only by the entrant and by staff; its files are deleted
    when the consent is withdrawn."""

    contest = models.ForeignKey(CaseContest, on_delete=models.PROTECT, related_name="entries")
    entrant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_entries"
    )
    story = EncryptedTextField(_("the patient's words"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED
    )
    # The separate consent (单独同意) to this use of the pictures, and its withdrawal.
    consent_version = models.CharField(max_length=16)
    consent_given_at = models.DateTimeField(_("consent given"))
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    review_note = EncryptedTextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case entry")
        verbose_name_plural = _("case entries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "entrant"],
                condition=~Q(status="withdrawn"),
                name="case_entry_one_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(consent_withdrawn_at__isnull=False),
                name="case_entry_withdrawn_has_time",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class CaseFile(BaseModel):
    """A picture (re-encoded, without metadata) or a short video of an entry, in the
    default storage under ``cases/``, served only through an access check."""

    entry = models.ForeignKey(CaseEntry, on_delete=models.CASCADE, related_name="files")
    stage = models.CharField(_("stage"), max_length=8, choices=FileStage.choices)
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["stage", "created_at"]

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.stage}"


class CaseScore(models.Model):
    """One judge's score of an entry (0–100); an entry's score is the sum of its judges'."""

    entry = models.ForeignKey(CaseEntry, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case score")
        verbose_name_plural = _("case scores")
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge"], name="case_score_once_per_judge"),
            models.CheckConstraint(condition=Q(score__lte=100), name="case_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.score}"


class CaseAward(BaseModel):
    """A winner's share of the pool, in fen, and how it was paid (points or a coupon).

    Anti-fraud screens each share before it is paid: a held one waits for the review
    queue and is paid, under the same key, once approved."""

    contest = models.ForeignKey(CaseContest, on_delete=models.PROTECT, related_name="awards")
    entry = models.ForeignKey(CaseEntry, on_delete=models.PROTECT, related_name="awards")
    share_fen = models.PositiveBigIntegerField(_("share (fen)"))
    points = models.PositiveIntegerField(_("points"), default=0)
    coupon_reference = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AwardStatus.choices, default=AwardStatus.PAID
    )

    class Meta:
        verbose_name = _("case award")
        verbose_name_plural = _("case awards")
        constraints = [models.UniqueConstraint(fields=["contest", "entry"], name="case_award_once")]

    def __str__(self) -> str:
        return f"{self.contest_id}:{self.entry_id}={self.share_fen}"
