from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.booking.choices import ACTIVE_STATUSES, Channel, Status
from yachi.compliance.facade import EncryptedCharField, EncryptedQuerySet
from yachi.core.models import BaseModel


class Appointment(BaseModel):
    """A patient's time with a doctor in a chair, or with no chair for a video
    consultation (a service of kind ``video``, ADR 0045).

    No doctor and no chair is ever held twice at the same time: the migrations add an
    exclusion constraint on PostgreSQL and triggers on SQLite over every status in
    ``ACTIVE_STATUSES``; the service's own checks only give the friendlier error first.
    An appointment without a chair is held by the doctor's constraint alone (a NULL
    chair equals no other chair, in the exclusion constraint as in the trigger).
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey("clinics.Doctor", on_delete=models.PROTECT, related_name="+")
    chair = models.ForeignKey(
        "clinics.Chair", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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
    # The deposit asked when booked: the service's, or one the clinic's no-show policy
    # asked for a high risk (ADR 0051); 0 when none was asked.
    deposit_fen = models.PositiveIntegerField(_("deposit (fen)"), default=0, db_default=0)
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


# The sub-domains' models belong to this app too; importing them here lets Django find them.
from yachi.booking.emergency.models import EmergencyCase, EmergencyDispatch  # noqa: E402
from yachi.booking.vouchers.models import ServiceVoucher  # noqa: E402
from yachi.booking.waitlist.models import WaitlistEntry, WaitlistOffer  # noqa: E402

__all__ = [
    "Appointment",
    "EmergencyCase",
    "EmergencyDispatch",
    "ServiceVoucher",
    "WaitlistEntry",
    "WaitlistOffer",
]
