from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yachi.core.forms import Form
from yachi.patients.choices import Gender, Relationship


class FamilyMemberForm(Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=64)
    relationship = forms.ChoiceField(
        label=_("Relationship"),
        choices=[c for c in Relationship.choices if c[0] != Relationship.SELF],
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ProfileForm(Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=64)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
