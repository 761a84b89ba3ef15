from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel

# A school holiday is a season, not a year: longer than this is a slip of the keyboard.
LONGEST_SCHOOL_HOLIDAY_DAYS = 92


class SchoolHoliday(BaseModel):
    """Dates when the schools around a clinic are out (寒假, 暑假): children come then,
    which the demand forecast of paediatric dentistry follows. Kept per clinic, since
    school calendars differ between cities and districts."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=32)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("school holiday")
        verbose_name_plural = _("school holidays")
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="school_holiday_order",
                violation_error_message=_("A school holiday ends on or after its first day."),
            ),
        ]
        indexes = [models.Index(fields=["clinic", "first_day"], name="school_holiday_clinic")]

    def __str__(self) -> str:
        return f"{self.name} {self.first_day}–{self.last_day}"
