from zoneinfo import available_timezones

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yachi.clinics.choices import DayKind, DoctorTitle, ServiceKind, Skill, Weekday
from yachi.core.models import BaseModel
from yachi.core.roles import ChainRole, ClinicRole

TIMEZONE_CHOICES = sorted((tz, tz) for tz in available_timezones() if tz.startswith("Asia/"))


def _localized(zh: str, en: str) -> str:
    return en if en and (get_language() or "").startswith("en") else zh


# Every appointment lasts as long as its service, so this bounds appointments too: booking
# reads a window's appointments from an index without going back through the whole history.
LONGEST_SERVICE_MINUTES = 480


class Chain(BaseModel):
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("clinic chain")
        verbose_name_plural = _("clinic chains")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return _localized(self.name, self.name_en)


class Clinic(BaseModel):
    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="clinics")
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    timezone = models.CharField(
        _("time zone"), max_length=32, choices=TIMEZONE_CHOICES, default="Asia/Shanghai"
    )
    is_active = models.BooleanField(_("open for booking"), default=True)
    # Booking policy.
    slot_step_minutes = models.PositiveSmallIntegerField(
        _("slot step (minutes)"), default=15, validators=[MinValueValidator(5)]
    )
    booking_lead_minutes = models.PositiveSmallIntegerField(
        _("minimum notice for a booking (minutes)"), default=30
    )
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        _("patients may cancel or reschedule until (hours before)"), default=2
    )
    max_reschedules = models.PositiveSmallIntegerField(
        _("reschedules allowed per appointment"), default=2
    )

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="clinic_coordinates_on_earth",
            ),
            models.CheckConstraint(condition=Q(slot_step_minutes__gte=5), name="clinic_slot_step"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return _localized(self.name, self.name_en)


class OpeningHours(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_order"),
            models.UniqueConstraint(fields=["clinic", "weekday", "opens"], name="opening_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class CalendarDay(BaseModel):
    """A date on which the clinic departs from its weekly opening hours: closed for a
    public holiday (or its own reason), or open on a make-up working day (调休上班),
    when the weekly hours and rosters of ``works_as`` apply. Seeded from the national
    calendar (``holidays.py``) and edited by the clinic: one that opens on holidays
    deletes the day or marks it open."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=32, blank=True)
    works_as = models.PositiveSmallIntegerField(
        _("works as"), choices=Weekday.choices, null=True, blank=True
    )
    from_public_calendar = models.BooleanField(_("from the public calendar"), default=False)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["clinic", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "date"],
                name="calendar_day_unique",
                violation_error_message=_("This date is already in the clinic's calendar."),
            ),
            models.CheckConstraint(
                condition=Q(kind=DayKind.CLOSED, works_as__isnull=True)
                | Q(kind=DayKind.OPEN, works_as__isnull=False),
                name="calendar_day_works_as",
                violation_error_message=_(
                    "A make-up working day says which weekday's hours it keeps; a closed day does not."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class Chair(BaseModel):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="chairs")
    name = models.CharField(_("name"), max_length=32)
    is_active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("dental chair")
        verbose_name_plural = _("dental chairs")
        ordering = ["clinic", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="chair_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.clinic.name} · {self.name}"


# What patients read on a doctor's profile: a few sentences, not a CV.
INTRODUCTION_MAX_LENGTH = 300
# The earliest year a doctor's practice may have begun (older is a typing error).
FIRST_PRACTICE_YEAR = 1950


class Doctor(BaseModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="doctor"
    )
    name = models.CharField(_("name"), max_length=64)
    title = models.CharField(_("title"), max_length=24, choices=DoctorTitle.choices)
    bio = models.TextField(_("introduction"), max_length=INTRODUCTION_MAX_LENGTH, blank=True)
    # The year practice began, not a count of years: the profile stays right as time passes.
    practising_since = models.PositiveSmallIntegerField(
        _("in practice since (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_PRACTICE_YEAR)],
    )
    # Set only by ``profiles.doctor_profile_update``: a random name under ``doctors/`` in
    # the default storage, served by ``views.doctor_photo``, never by its path.
    photo = models.FileField(_("photo"), upload_to="doctors/", blank=True, editable=False)
    photo_content_type = models.CharField(max_length=16, blank=True, editable=False)
    photo_is_illustration = models.BooleanField(
        _("the picture is an illustration, not a photo of the doctor"), default=False
    )
    clinics = models.ManyToManyField(Clinic, related_name="doctors", verbose_name=_("clinics"))
    is_active = models.BooleanField(_("taking bookings"), default=True)

    class Meta:
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(practising_since__isnull=True)
                | Q(practising_since__gte=FIRST_PRACTICE_YEAR),
                name="doctor_practising_since_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years_in_practice(self) -> int | None:
        """Whole years since practice began (0 in its first year), or None when unknown."""
        if self.practising_since is None:
            return None
        return max(0, timezone.localdate().year - self.practising_since)

    @property
    def initials(self) -> str:
        """What a placeholder shows without a photo: the surname of a Chinese name
        (王建华 → 王), the initials of a Latin one (Anna Li → AL)."""
        name = self.name.strip()
        if not name:
            return "?"
        if name[0].isascii():
            return "".join(part[0] for part in name.split()[:2]).upper()
        return name[0]


class DoctorSkill(models.Model):
    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="skills")
    skill = models.CharField(_("skill"), max_length=24, choices=Skill.choices)

    class Meta:
        verbose_name = _("doctor skill")
        verbose_name_plural = _("doctor skills")
        constraints = [
            models.UniqueConstraint(fields=["doctor", "skill"], name="doctor_skill_unique"),
        ]

    def __str__(self) -> str:
        return self.get_skill_display()


class StaffMembership(models.Model):
    """A staff member's place at one clinic, with their role there (front desk or
    manager). Doctors work at clinics through ``Doctor.clinics``; a doctor who also runs
    the clinic has a manager's membership besides. See ADR 0026."""

    # What a membership may say: a doctor's place is ``Doctor.clinics``.
    ROLES = [
        (ClinicRole.FRONT_DESK, ClinicRole.FRONT_DESK.label),
        (ClinicRole.MANAGER, ClinicRole.MANAGER.label),
    ]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role at this clinic"), max_length=16, choices=ROLES, default=ClinicRole.FRONT_DESK
    )

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=[ClinicRole.FRONT_DESK, ClinicRole.MANAGER]),
                name="membership_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.clinic}: {self.get_role_display()}"


class ChainAssignment(models.Model):
    """A role held over clinics of a chain: a regional manager over the clinics listed,
    chain operations over every clinic of the chain, today's and tomorrow's. Either has a
    manager's rights at each clinic it covers (ADR 0026)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chain_assignments"
    )
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=24, choices=ChainRole.choices)
    clinics = models.ManyToManyField(
        Clinic,
        blank=True,
        related_name="regional_assignments",
        verbose_name=_("clinics covered"),
        help_text=_("A regional manager's clinics; chain operations covers every clinic."),
    )

    class Meta:
        verbose_name = _("chain role")
        verbose_name_plural = _("chain roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "chain", "role"], name="chain_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.chain}: {self.get_role_display()}"


class Service(BaseModel):
    """An appointment type a clinic offers, e.g. 洁牙, 30 minutes, ¥200."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="services")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(5), MaxValueValidator(LONGEST_SERVICE_MINUTES)],
    )
    price_fen = models.PositiveIntegerField(_("price (fen)"))
    # Paid online when a patient books; the time is held until it is paid.
    deposit_fen = models.PositiveIntegerField(_("deposit (fen)"), default=0)
    required_skill = models.CharField(_("required skill"), max_length=24, choices=Skill.choices)
    # A video consultation holds the doctor's time but no dental chair (ADR 0045).
    kind = models.CharField(
        _("kind"), max_length=16, choices=ServiceKind.choices, default=ServiceKind.IN_PERSON
    )
    is_active = models.BooleanField(_("bookable"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["clinic", "duration_minutes", "code"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="service_code_unique"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=LONGEST_SERVICE_MINUTES),
                name="service_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ServiceKind.values), name="service_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_video(self) -> bool:
        return self.kind == ServiceKind.VIDEO

    @property
    def needs_chair(self) -> bool:
        """Whether an appointment of this service takes a dental chair."""
        return self.kind != ServiceKind.VIDEO

    @property
    def display_name(self) -> str:
        return _localized(self.name, self.name_en)


class Material(BaseModel):
    """A material charged by the piece on a bill beside the services, e.g. 树脂材料 ¥180 a
    tooth: the chain's (``clinic`` empty), or one clinic's, which replaces the chain's
    item of the same code there. ``code`` is stable: later work maps it, as each service's
    code, to a national medical-insurance item and its class (甲/乙/丙)."""

    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="materials")
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, related_name="materials", null=True, blank=True
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    # What one of it is: 颗, 支, 个, 次.
    unit = models.CharField(_("unit"), max_length=8, blank=True)
    price_fen = models.PositiveIntegerField(_("price (fen)"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["chain", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "code"],
                condition=Q(clinic__isnull=True),
                name="material_chain_code_unique",
            ),
            models.UniqueConstraint(
                fields=["clinic", "code"],
                condition=Q(clinic__isnull=False),
                name="material_clinic_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        return _localized(self.name, self.name_en)
