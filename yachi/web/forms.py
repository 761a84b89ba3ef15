from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yachi.core.dates import EARLIEST_DAY, LATEST_DAY, day_in_range


def _within_accepted_years(value: date | datetime) -> None:
    try:
        day_in_range(value.date() if isinstance(value, datetime) else value)
    except ValueError:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat()},
        ) from None


class Form(forms.Form):
    """The base of every form of the pages.

    No English colon after the labels; every date and date-time field accepts only the
    years ``yachi.core.dates`` allows, as the API does.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(_within_accepted_years)
