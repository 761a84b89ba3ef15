"""No-show risk (ADR 0051): the models learned per clinic (or for the whole chain), the
clinic's policy, each upcoming appointment's score, and the confirmation calls the
policy asks the front desk to make."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import EncryptedCharField, EncryptedQuerySet
from yachi.core.models import BaseModel


class NoShowModel(BaseModel):
    """One trained version: its coefficients in plain numbers (not a pickle), what it
    learned from and its backtest. A clinic's newest version scores its appointments;
    a clinic with too little history of its own uses the chain's (``clinic`` empty)."""

    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"))
    trained_at = models.DateTimeField(_("trained at"))
    # The learning library and its version, so that a version can be reproduced.
    library = models.CharField(max_length=40)
    features = models.JSONField(default=list)
    weights = models.JSONField(default=list)
    intercept = models.FloatField()
    means = models.JSONField(default=list)
    samples = models.PositiveIntegerField(_("samples"))
    no_shows = models.PositiveIntegerField(_("no-shows"))
    prior = models.FloatField(default=0)
    backtest = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("no-show model")
        verbose_name_plural = _("no-show models")
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "version"], name="noshow_model_clinic_version"
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(clinic__isnull=True),
                name="noshow_model_chain_version",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="noshow_model_version"),
        ]

    def __str__(self) -> str:
        return f"no-show model {self.clinic_id or 'chain'} v{self.version}"


class NoShowPolicy(BaseModel):
    """What a clinic does about an appointment whose risk reaches the threshold."""

    clinic = models.OneToOneField("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    threshold_percent = models.PositiveSmallIntegerField(_("risk threshold (%)"), default=30)
    require_deposit = models.BooleanField(_("require a deposit"), default=False)
    deposit_fen = models.PositiveIntegerField(_("deposit (fen)"), default=5000)
    extra_reminder = models.BooleanField(_("send an extra reminder"), default=True)
    confirmation_call = models.BooleanField(_("flag for a confirmation call"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("no-show policy")
        verbose_name_plural = _("no-show policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_percent__gte=1, threshold_percent__lte=99),
                name="noshow_policy_threshold",
            ),
            models.CheckConstraint(
                condition=Q(require_deposit=False) | Q(deposit_fen__gt=0),
                name="noshow_policy_deposit",
            ),
        ]

    def __str__(self) -> str:
        return f"no-show policy {self.clinic_id} ≥{self.threshold_percent}%"

    @property
    def threshold(self) -> float:
        return self.threshold_percent / 100


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class NoShowScore(models.Model):
    """An upcoming appointment's latest score, with its reasons as codes and figures
    (put into words when shown, in the reader's language)."""

    appointment = models.OneToOneField(
        "booking.Appointment", on_delete=models.CASCADE, related_name="+"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    score = models.FloatField()
    level = models.CharField(max_length=8, choices=RiskLevel.choices)
    reasons = models.JSONField(default=list)
    model = models.ForeignKey(NoShowModel, on_delete=models.SET_NULL, null=True, related_name="+")
    computed_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    call_flagged = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("no-show score")
        verbose_name_plural = _("no-show scores")
        indexes = [models.Index(fields=["clinic", "start"], name="noshow_score_clinic_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1), name="noshow_score_probability"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id}: {self.score:.2f}"


class CallOutcome(models.TextChoices):
    OPEN = "open", _("To call")
    CONFIRMED = "confirmed", _("Will come")
    RESCHEDULE = "reschedule", _("Wants another time")
    CANCEL = "cancel", _("Will not come")
    NO_ANSWER = "no_answer", _("No answer")


class ConfirmationCall(BaseModel):
    """A call the front desk makes to an appointment at risk, and what came of it."""

    appointment = models.OneToOneField(
        "booking.Appointment", on_delete=models.CASCADE, related_name="+"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    score = models.FloatField()
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=CallOutcome.choices, default=CallOutcome.OPEN
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    called_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # What the patient said: their own words, encrypted like the appointment's note.
    note = EncryptedCharField(_("note"), max_length=200, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("confirmation call")
        verbose_name_plural = _("confirmation calls")
        indexes = [models.Index(fields=["clinic", "start"], name="noshow_call_clinic_start")]

    def __str__(self) -> str:
        return f"call {self.appointment_id} {self.outcome}"
