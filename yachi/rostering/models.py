from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.clinics.choices import Weekday
from yachi.core.models import BaseModel
from yachi.rostering.choices import ExceptionKind, ShiftKind


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
                condition=Q(end_time__gt=F("start_time")), name="weekly_shift_order"
            ),
            models.UniqueConstraint(
                fields=["doctor", "weekday", "start_time"], name="weekly_shift_unique"
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
            models.CheckConstraint(
                condition=(Q(start_time__isnull=True) & Q(end_time__isnull=True))
                | Q(end_time__gt=F("start_time")),
                name="shift_exception_order",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ExceptionKind.EXTRA)
                | (Q(start_time__isnull=False) & Q(clinic__isnull=False)),
                name="extra_shift_has_time_and_clinic",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"
