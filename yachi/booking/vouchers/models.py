"""A service voucher: one prepaid visit of one service at one clinic.

It belongs to the booking app (label ``booking``); ``yachi.booking.models`` imports it so
that Django finds it.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.booking.choices import VoucherStatus
from yachi.core.models import BaseModel


class ServiceVoucher(BaseModel):
    """A treatment paid in advance (a flash sale of 儿童涂氟): booked like any visit.

    ``source`` names what issued it (``shop.order:<uuid>``) and is unique, so that a
    payment settled twice issues one voucher. While it is ``booked`` it names its
    appointment; the constraint keeps the two together.
    """

    code = models.CharField(_("voucher code"), max_length=12, unique=True)
    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    # The one person it may be used for, or anyone on the owner's family account.
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service = models.ForeignKey("clinics.Service", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=64)
    paid_fen = models.PositiveIntegerField(_("paid (fen)"))
    valid_until = models.DateTimeField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=12, choices=VoucherStatus.choices, default=VoucherStatus.UNUSED
    )
    appointment = models.OneToOneField(
        "booking.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voucher",
    )
    source = models.CharField(max_length=80, unique=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("service voucher")
        verbose_name_plural = _("service vouchers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="voucher_owner_created")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status__in=("booked", "used"), appointment__isnull=False)
                    | (~Q(status__in=("booked", "used")) & Q(appointment__isnull=True))
                ),
                name="voucher_booked_has_appointment",
            ),
        ]

    def __str__(self) -> str:
        return self.code
