"""Roster proposals: the optimizer's options for some clinics and weeks, the roster a
manager published from one of them, doctors' preferences, and the emergency buffer."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel

LONGEST_HORIZON_WEEKS = 2


class ProposalStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be computed")
    RUNNING = "running", _("Computing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class RosterProposal(BaseModel):
    """A request for rosters of some clinics over one or two weeks from a Monday, and
    the options the optimizer found (its Pareto front)."""

    clinics = models.ManyToManyField("clinics.Clinic", related_name="+")
    week_start = models.DateField(_("first Monday"))
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    status = models.CharField(
        _("status"), max_length=8, choices=ProposalStatus.choices, default=ProposalStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    # None: asked for by an operator on the command line (``yachi roster propose``).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # What the options were computed against (demand, current hours), kept for the page.
    facts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("roster proposal")
        verbose_name_plural = _("roster proposals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weeks__gte=1, weeks__lte=LONGEST_HORIZON_WEEKS),
                name="roster_proposal_weeks",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="roster_proposal_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.week_start} ×{self.weeks}"


class RosterOption(BaseModel):
    """One roster of the front: its objectives, its shifts and the booked visits it
    would leave uncovered (always none for an option that may be published)."""

    proposal = models.ForeignKey(RosterProposal, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    objectives = models.JSONField()
    # [{"doctor_id": pk, "clinic_id": pk, "chair_id": pk|None, "start": iso, "end": iso,
    #   "emergency_minutes": n}], times aware.
    shifts = models.JSONField()
    uncovered = models.JSONField(default=list)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("roster option")
        verbose_name_plural = _("roster options")
        ordering = ["proposal", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "position"], name="roster_option_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} #{self.position + 1}"


class PublishedDay(models.Model):
    """A clinic's date whose working hours are those of a published option: on it the
    weekly template is not read (leave and extra shifts still count)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    option = models.ForeignKey(RosterOption, on_delete=models.PROTECT, related_name="days")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "date"], name="published_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date}"


class PublishedShift(models.Model):
    """A doctor's working time on a published date at a clinic and chair. The last
    ``emergency_minutes`` of it are the emergency buffer (急诊插队): bookable by staff and
    by emergency dispatch, not by patients in the app."""

    day = models.ForeignKey(PublishedDay, on_delete=models.CASCADE, related_name="shifts")
    doctor = models.ForeignKey("clinics.Doctor", on_delete=models.CASCADE, related_name="+")
    chair = models.ForeignKey(
        "clinics.Chair", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    start_time = models.TimeField()
    end_time = models.TimeField()
    emergency_minutes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["doctor", "day"], name="published_shift_doctor")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="published_shift_order"
            ),
            models.UniqueConstraint(
                fields=["day", "doctor", "start_time"], name="published_shift_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"


class DoctorPreference(models.Model):
    """What a doctor would rather have: weekdays off, and a clinic they prefer."""

    doctor = models.OneToOneField(
        "clinics.Doctor", on_delete=models.CASCADE, related_name="roster_preference"
    )
    days_off = models.JSONField(
        _("preferred days off"), default=list
    )  # ``Weekday`` values, 0 = Monday
    preferred_clinic = models.ForeignKey(
        "clinics.Clinic",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("preferred clinic"),
    )

    class Meta:
        verbose_name = _("doctor's roster preference")
        verbose_name_plural = _("doctors' roster preferences")

    def __str__(self) -> str:
        return str(self.doctor_id)
