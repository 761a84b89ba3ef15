"""Patient tags as a criterion of the segment builder: "has the tag …" (ADR 0052)."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yachi.crm.segments.registry import Criterion, CriterionForm, register_criterion
from yachi.crm.tags.selectors import definitions, patients_with_tag


class TagForm(CriterionForm):
    code = forms.ChoiceField(label=_("has the tag"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "zh-hans"
        self.fields["code"].choices = [
            (d.code, d.label(language)) for d in definitions() if d.active
        ]

    def describe(self, value: dict) -> str:
        return str(dict(self.fields["code"].choices).get(value.get("code"), value.get("code")))


def _tagged(value, scope):
    return patients_with_tag(code=value["code"], patient_ids=scope.patient_ids)


def register_tag_criterion() -> None:
    register_criterion(Criterion("tag", _("Patient tag"), TagForm, _tagged))
