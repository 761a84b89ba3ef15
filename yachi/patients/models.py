from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import BlindIndexField, EncryptedCharField
from yachi.core.models import BaseModel
from yachi.patients.choices import FAMILY_SEATS, Gender, Relationship


class FamilyAccount(BaseModel):
    """One login that books for its holder and up to five family members."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="family_account"
    )

    class Meta:
        verbose_name = _("family account")
        verbose_name_plural = _("family accounts")

    def __str__(self) -> str:
        return str(self.owner)


class Patient(BaseModel):
    """A person who can be booked: the account holder (seat 0) or a family member.

    The seat number is how the database itself holds the family limit: seats are
    unique per account and only 0..FAMILY_SEATS exist, so a sixth member cannot be
    stored even by two requests racing each other.
    """

    account = models.ForeignKey(FamilyAccount, on_delete=models.PROTECT, related_name="members")
    # NULL once the member is removed, which frees the seat; the row stays because
    # appointments and records point at it.
    seat = models.PositiveSmallIntegerField(null=True, blank=True)
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    name = models.CharField(_("name"), max_length=64, blank=True)
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = EncryptedCharField(_("mobile number"), max_length=11, blank=True)
    phone_index = BlindIndexField(
        source="phone",
        purpose="phone",
        normalize="yachi.accounts.phones.normalize_phone",
        blank=True,
    )
    id_number = EncryptedCharField(_("resident ID number"), max_length=18, blank=True)
    id_number_index = BlindIndexField(
        source="id_number",
        purpose="id_number",
        normalize="yachi.patients.identity.normalize_id_number",
        blank=True,
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.UniqueConstraint(fields=["account", "seat"], name="patient_seat_unique"),
            models.CheckConstraint(
                condition=Q(seat__lte=FAMILY_SEATS), name="patient_seat_within_family_limit"
            ),
            models.CheckConstraint(
                condition=(Q(seat=0) & Q(relationship=Relationship.SELF))
                | (Q(seat__gt=0) & ~Q(relationship=Relationship.SELF)),
                name="patient_holder_in_seat_zero",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.phone or str(self.public_id)

    @property
    def is_holder(self) -> bool:
        return self.seat == 0
