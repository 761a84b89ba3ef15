"""The criteria a segment is built of: a small registry.

A criterion is a code, a label, a form (the fields of its value, shown in the builder and
validating what is stored) and ``select``: the ids, among the scope's patients, that
match a cleaned value (a set, or a queryset of patient ids). CRM's other parts add theirs
with one call, e.g. patient tags::

    register_criterion(Criterion(
        code="tag", label=_("has the tag"), form=TagForm,
        select=lambda value, scope: PatientTag.objects.filter(
            clinic_id=scope.clinic_id, code=value["code"], patient_id__in=scope.patient_ids
        ).values_list("patient_id", flat=True),
    ))
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms

from yachi.core.forms import Form


class CriterionForm(Form):
    """A criterion's value. ``clinic`` is the segment's, for choices that depend on it."""

    def __init__(self, *args, clinic=None, **kwargs):
        self.clinic = clinic
        super().__init__(*args, **kwargs)

    def describe(self, value: dict) -> str:
        """The value in words, as a list of segments shows it."""
        return ", ".join(
            f"{self.fields[k].label} {v}" for k, v in value.items() if v not in ("", None, [])
        )


@dataclass(frozen=True)
class Criterion:
    code: str
    label: object  # a lazy translation
    form: type[CriterionForm]
    select: Callable[[dict, object], Iterable[int]]


_CRITERIA: dict[str, Criterion] = {}


def register_criterion(criterion: Criterion) -> None:
    """Add (or replace, by code) a criterion the builder offers."""
    if not isinstance(criterion.form, type) or not issubclass(criterion.form, forms.Form):
        raise TypeError("a criterion's form is a form class")
    _CRITERIA[criterion.code] = criterion


def criteria() -> list[Criterion]:
    return list(_CRITERIA.values())


def criterion(code: str) -> Criterion | None:
    return _CRITERIA.get(code)
