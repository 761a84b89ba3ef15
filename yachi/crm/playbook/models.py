"""The repurchase playbook (私域复购 SOP): rules, their runs, every patient a rule touched
(reached, skipped or held out, once per occurrence) and the follow-up calls it asked for."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import EncryptedQuerySet, EncryptedTextField
from yachi.core.models import BaseModel
from yachi.crm.playbook.choices import Action, CallOutcome, Group, TaskStatus, Trigger

MAX_HOLDOUT_PERCENT = 50


class Rule(BaseModel):
    """When a clinic reaches out, to whom, and how. ``code`` names the shipped defaults."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("rule name"), max_length=64)
    trigger = models.CharField(_("when"), max_length=16, choices=Trigger.choices)
    service_codes = models.JSONField(_("treatments"), default=list, blank=True)
    days_after = models.PositiveSmallIntegerField(
        _("days after"), default=0, validators=[MaxValueValidator(3650)]
    )
    # Again every so many days after the first (an implant's yearly maintenance); 0: once.
    repeat_days = models.PositiveSmallIntegerField(
        _("again every (days)"), default=0, validators=[MaxValueValidator(3650)]
    )
    # Only when the patient has booked none of these treatments since.
    none_booked_since = models.BooleanField(_("only if nothing booked since"), default=False)
    action = models.CharField(_("what it does"), max_length=16, choices=Action.choices)
    text = models.CharField(_("message"), max_length=200, blank=True)
    points = models.PositiveIntegerField(_("points"), default=0)
    script = models.TextField(_("call script"), blank=True)
    holdout_percent = models.PositiveSmallIntegerField(
        _("holdout (%)"), default=10, validators=[MaxValueValidator(MAX_HOLDOUT_PERCENT)]
    )
    active = models.BooleanField(_("on"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("playbook rule")
        verbose_name_plural = _("playbook rules")
        ordering = ["clinic", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="crm_rule_code_unique"),
            models.CheckConstraint(
                condition=Q(holdout_percent__lte=MAX_HOLDOUT_PERCENT),
                name="crm_rule_holdout_at_most_half",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RuleRun(BaseModel):
    """One run of one rule: how many it reached, skipped and held out."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="runs")
    run_on = models.DateField(_("day"))
    reached = models.PositiveIntegerField(_("reached"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    held_out = models.PositiveIntegerField(_("held out"), default=0)

    class Meta:
        verbose_name = _("playbook run")
        verbose_name_plural = _("playbook runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.run_on}"


class Touch(models.Model):
    """A patient a rule decided about for one occurrence (a visit, a visit's n-th year, a
    birthday): reached, skipped (with why) or held out. Unique, so a rule acts once per
    occurrence however often it runs; the holdout's rows are the comparison group."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="touches")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    occurrence = models.CharField(max_length=64)
    group = models.CharField(_("group"), max_length=16, choices=Group.choices)
    reason = models.CharField(_("why"), max_length=16, blank=True)
    run = models.ForeignKey(RuleRun, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("playbook touch")
        verbose_name_plural = _("playbook touches")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "patient", "occurrence"], name="crm_touch_once_per_occurrence"
            )
        ]
        indexes = [models.Index(fields=["rule", "group", "at"], name="crm_touch_rule_group")]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.patient_id} {self.occurrence} {self.group}"


class FollowUpTask(BaseModel):
    """A follow-up call (回访) a rule asked of the clinic's nurses, with its script and the
    outcome they record. The note is personal text: encrypted."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="tasks")
    touch = models.OneToOneField(Touch, on_delete=models.PROTECT, related_name="task")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    service_name = models.CharField(_("treatment"), max_length=64, blank=True)
    visit_on = models.DateField(_("visit"))
    due_on = models.DateField(_("call on"))
    status = models.CharField(
        _("state"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=CallOutcome.choices, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")
        ordering = ["status", "due_on"]
        indexes = [models.Index(fields=["clinic", "status", "due_on"], name="crm_task_clinic")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=TaskStatus.OPEN) | ~Q(outcome=""),
                name="crm_task_done_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"follow-up {self.public_id}"
