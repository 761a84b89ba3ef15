from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.booking.choices import (
    ACTIVE_STATUSES,
    Channel,
    EmergencyStatus,
    OfferStatus,
    Status,
    WaitlistStatus,
)
from yachi.compliance.facade import (
    EncryptedCharField,
    EncryptedDecimalField,
    EncryptedQuerySet,
    EncryptedTextField,
)
from yachi.core.models import BaseModel


class Appointment(BaseModel):
    """A patient's time with a doctor in a chair.

    No doctor and no chair is ever held twice at the same time: the migrations add an
    exclusion constraint on PostgreSQL and triggers on SQLite over every status in
    ``ACTIVE_STATUSES``; the service's own checks only give the friendlier error first.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey("clinics.Doctor", on_delete=models.PROTECT, related_name="+")
    chair = models.ForeignKey("clinics.Chair", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("clinics.Service", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="appointments"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    channel = models.CharField(_("booked through"), max_length=16, choices=Channel.choices)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.BOOKED
    )
    price_fen = models.PositiveIntegerField(_("price (fen)"))
    # What the patient wrote when booking (often symptoms): encrypted (ADR 0018).
    note = EncryptedCharField(_("note"), max_length=500, blank=True)
    reschedule_count = models.PositiveSmallIntegerField(default=0)
    # The patient said, from a reminder, that they will come.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Moved later to make room for an emergency: the front desk should call.
    moved_for_emergency_at = models.DateTimeField(null=True, blank=True)
    moved_from = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    treatment_started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    no_show_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # May be the patient's own words ("发烧了"): encrypted like the note.
    cancel_reason = EncryptedCharField(max_length=200, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["doctor", "start"], name="appointment_doctor_start"),
            models.Index(fields=["chair", "start"], name="appointment_chair_start"),
            models.Index(fields=["clinic", "start"], name="appointment_clinic_start"),
            models.Index(fields=["patient", "start"], name="appointment_patient_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appointment_order"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class WaitlistEntry(BaseModel):
    """Someone who wants a time that is full: a service, perhaps a doctor, a window."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("clinics.Service", on_delete=models.CASCADE, related_name="+")
    doctor = models.ForeignKey(
        "clinics.Doctor", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    earliest = models.DateTimeField(_("from"))
    latest = models.DateTimeField(_("until"))
    is_emergency = models.BooleanField(_("in pain"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        # The fair order: people in pain first, then first come, first served.
        ordering = ["-is_emergency", "created_at", "pk"]
        indexes = [models.Index(fields=["clinic", "status"], name="waitlist_clinic_status")]
        constraints = [
            models.CheckConstraint(condition=Q(latest__gt=F("earliest")), name="waitlist_window"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} waiting for {self.service_id}"


class WaitlistOffer(BaseModel):
    """A freed time offered to one waiting person, held for them by a pending
    appointment until ``expires_at``: nobody else can book it meanwhile."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="+")
    doctor = models.ForeignKey("clinics.Doctor", on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)

    class Meta:
        verbose_name = _("waitlist offer")
        verbose_name_plural = _("waitlist offers")
        constraints = [
            # One freed time is offered to each waiting person at most once.
            models.UniqueConstraint(
                fields=["entry", "doctor", "start"], name="offer_once_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"offer {self.start:%Y-%m-%d %H:%M} to entry {self.entry_id}"


class EmergencyCase(BaseModel):
    """Acute toothache (急性牙痛): a patient who needs a doctor now.

    The nearest doctors on duty are asked three at a time; the first to accept gets
    the case (a conditional update decides between simultaneous accepts) and an
    emergency appointment at the earliest time they can see the patient.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    pain_level = models.PositiveSmallIntegerField(_("pain (1–10)"))
    symptoms = EncryptedTextField(_("symptoms"), blank=True)
    # Where the patient was: encrypted; distances are computed in Python (ADR 0018).
    latitude = EncryptedDecimalField(max_digits=9, decimal_places=6)
    longitude = EncryptedDecimalField(max_digits=9, decimal_places=6)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EmergencyStatus.choices,
        default=EmergencyStatus.SEARCHING,
    )
    round = models.PositiveSmallIntegerField(default=0)
    round_started_at = models.DateTimeField(null=True, blank=True)
    accepted_doctor = models.ForeignKey(
        "clinics.Doctor", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    eta_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    nearest_clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency")
        verbose_name_plural = _("emergencies")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_level__gte=1, pain_level__lte=10), name="emergency_pain_range"
            ),
        ]

    def __str__(self) -> str:
        return f"emergency {self.public_id} ({self.status})"


class EmergencyDispatch(models.Model):
    """One doctor asked to take one emergency."""

    case = models.ForeignKey(EmergencyCase, on_delete=models.CASCADE, related_name="dispatches")
    doctor = models.ForeignKey("clinics.Doctor", on_delete=models.CASCADE, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField()
    # Three distances to known clinics would place the patient: encrypted as well.
    distance_km = EncryptedDecimalField(max_digits=7, decimal_places=2)
    notified_at = models.DateTimeField()

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "doctor"], name="dispatch_once_per_doctor"),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} → doctor {self.doctor_id}"
