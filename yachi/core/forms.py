from django import forms

from yachi.core.dates import within_accepted_years


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
                field.validators.append(within_accepted_years)
