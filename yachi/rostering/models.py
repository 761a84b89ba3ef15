from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yachi.clinics.facade import Weekday
from yachi.core.models import BaseModel
from yachi.rostering.choices import ExceptionKind, ShiftKind

# Leave is planned up to a year ahead and recorded up to a year back; a date further away
# is a slip of the keyboard (2062 for 2026), and the last dates of the calendar have no
# next day to end on.
REACH_DAYS = 366


class WeeklyShift(BaseModel):
    """A doctor's working hours at one clinic on one weekday (clinic local time):
    bookable clinic hours, or on-call time when only emergencies are seen."""

    doctor = models.ForeignKey(
        "clinics.Doctor", on_delete=models.CASCADE, related_name="weekly_shifts"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    kind = models.CharField(
        _("kind"), max_length=8, choices=ShiftKind.choices, default=ShiftKind.REGULAR
    )

    class Meta:
        verbose_name = _("weekly shift")
        verbose_name_plural = _("weekly shifts")
        ordering = ["doctor", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="weekly_shift_order",
                violation_error_message=_("A shift must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["doctor", "weekday", "start_time"],
                name="weekly_shift_unique",
                violation_error_message=_(
                    "This doctor already has a shift starting at this time on this weekday."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class ShiftException(BaseModel):
    """A change to the weekly template on one date: leave, or an extra shift.

    Leave without times covers the whole day; leave without a clinic applies at every
    clinic the doctor works in.
    """

    doctor = models.ForeignKey(
        "clinics.Doctor", on_delete=models.CASCADE, related_name="shift_exceptions"
    )
    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=ExceptionKind.choices)
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("shift exception")
        verbose_name_plural = _("shift exceptions")
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["doctor", "date"], name="shift_exception_day")]
        constraints = [
            # Both times or neither: a comparison with a missing time is unknown, which
            # a check constraint lets through, so each time is required explicitly.
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(
                    start_time__isnull=False,
                    end_time__isnull=False,
                    end_time__gt=F("start_time"),
                ),
                name="shift_exception_order",
                violation_error_message=_(
                    "Give a start and an end, the end after the start, or neither for the whole day."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind=ExceptionKind.EXTRA)
                | (Q(start_time__isnull=False) & Q(clinic__isnull=False)),
                name="extra_shift_has_time_and_clinic",
                violation_error_message=_("An extra shift needs a clinic and its times."),
            ),
        ]

    def clean(self):
        if self.date and abs((self.date - timezone.localdate()).days) > REACH_DAYS:
            raise ValidationError(
                {"date": _("Choose a date no more than a year from today.")}, code="too_far"
            )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


# The sub-domains' models belong to this app too; importing them here lets Django find them.
from yachi.rostering.calendar.models import SchoolHoliday  # noqa: E402, F401
from yachi.rostering.proposals.models import (  # noqa: E402, F401
    DoctorPreference,
    PublishedDay,
    PublishedShift,
    RosterOption,
    RosterProposal,
)
