from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yachi.accounts.facade import NAME_NORMALIZER, NAME_PURPOSE
from yachi.compliance.facade import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedQuerySet,
    EncryptedTextField,
)
from yachi.core.models import BaseModel
from yachi.patients.choices import FAMILY_SEATS, Acquisition, Gender, Relationship
from yachi.patients.search import chart_number
from yachi.patients.storage import face_storage


class FamilyAccount(BaseModel):
    """One login that books for its holder and up to five family members."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="family_account"
    )
    # How the family first came to the clinic; empty where it is not known.
    acquisition = models.CharField(
        _("came through"), max_length=16, choices=Acquisition.choices, blank=True
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
    # Name and date of birth are encrypted (ADR 0018): the name is found only whole,
    # through its blind index; the date of birth is not searchable at all.
    name = EncryptedCharField(pgettext_lazy("person", "name"), max_length=64, blank=True)
    name_index = BlindIndexField(
        source="name", purpose=NAME_PURPOSE, normalize=NAME_NORMALIZER, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
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

    objects = EncryptedQuerySet.as_manager()

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
        # Never the name or the number: a __str__ is copied in clear into the admin's
        # change log and other places (ADR 0007). Pages show display_name.
        return f"patient {str(self.public_id)[:8]}"

    @property
    def display_name(self) -> str:
        return self.name or self.phone or str(self.public_id)[:8]

    @property
    def is_holder(self) -> bool:
        return self.seat == 0

    @property
    def chart_number(self) -> str:
        """The number the clinic files and finds this person by (病历号)."""
        return chart_number(self.pk) if self.pk else ""


class SearchToken(models.Model):
    """One blind-indexed piece of a patient's name or number (``patients/search.py``,
    ADR 0022): what staff find people by without any plaintext in the database."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("search token")
        verbose_name_plural = _("search tokens")
        constraints = [
            # Also the index the search reads: digest first.
            models.UniqueConstraint(fields=["digest", "patient"], name="search_token_unique"),
        ]

    def __str__(self) -> str:
        return f"search token of {self.patient_id}"


class ClinicalNote(BaseModel):
    """What a doctor wrote about a visit (病历). Every text field is SM4-encrypted at
    rest; every staff read and write leaves an audit entry (``patients.records``).
    The patient sees only ``patient_summary`` and ``advice`` (医嘱), and only when the
    doctor shared them."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="clinical_notes")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey("clinics.Doctor", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chief_complaint = EncryptedTextField(_("chief complaint"), blank=True)
    findings = EncryptedTextField(_("examination findings"), blank=True)
    diagnosis = EncryptedTextField(_("diagnosis"))
    treatment = EncryptedTextField(_("treatment"), blank=True)
    # What the patient may read of the visit, written for them. The chart's own text above
    # stays for doctors; these two are shown to the family only once ``shared_at`` is set.
    patient_summary = EncryptedTextField(_("summary for the patient"), blank=True)
    advice = EncryptedTextField(_("doctor's advice"), blank=True)
    shared_at = models.DateTimeField(_("shared with the patient"), null=True, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("clinical note")
        verbose_name_plural = _("clinical notes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "-created_at"], name="clinical_note_patient")]

    def __str__(self) -> str:
        return f"{self.patient} {self.created_at:%Y-%m-%d}"


class Consent(BaseModel):
    """A patient's consent (PIPL): to the privacy policy, and separately to each kind of
    sensitive personal information. Withdrawing keeps the row, stamped."""

    class Kind(models.TextChoices):
        PRIVACY_POLICY = "privacy_policy", _("Privacy policy")
        MEDICAL_DATA = "medical_data", _("Use of my medical data beyond my treatment")
        FACIAL_IMAGES = "facial_images", _("Facial photos")

    account = models.ForeignKey(FamilyAccount, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent"), max_length=24, choices=Kind.choices)
    version = models.CharField(_("version"), max_length=16)
    granted_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class FacePhoto(BaseModel):
    """A facial photo (e.g. for an orthodontic preview): kept only on this machine's
    disk (``storage.py``), SM4-encrypted, and only with the facial-photos consent."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="face_photos")
    file = models.FileField(storage=face_storage, upload_to="faces/%Y/%m/")
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("facial photo")
        verbose_name_plural = _("facial photos")

    def __str__(self) -> str:
        return f"face photo of {self.patient}"
