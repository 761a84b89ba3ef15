"""Who waits for a time that is full, and the freed times offered to them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.booking.choices import OfferStatus, WaitlistStatus
from yachi.core.models import BaseModel


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
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.CASCADE, related_name="+"
    )
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
