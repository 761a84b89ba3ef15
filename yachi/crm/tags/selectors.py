"""Reads of patient tags."""

from dataclasses import dataclass

from django.utils.translation import get_language

from yachi.crm.tags.models import PatientTag, TagDefinition


@dataclass(frozen=True)
class ShownTag:
    code: str
    label: str
    reason: str
    source: str
    kind: str


def _language() -> str:
    return get_language() or "zh-hans"


def tags_of_patients(patient_ids) -> dict[int, list[ShownTag]]:
    """Each person's tags (active definitions only), computed before manual, by kind:
    one query for any number of people."""
    language = _language()
    found: dict[int, list[ShownTag]] = {}
    rows = (
        PatientTag.objects.filter(patient_id__in=list(patient_ids), definition__active=True)
        .select_related("definition")
        .order_by("patient_id", "source", "definition__kind", "definition__code")
    )
    for row in rows:
        found.setdefault(row.patient_id, []).append(
            ShownTag(
                code=row.definition.code,
                label=row.definition.label(language),
                reason=row.reason,
                source=row.source,
                kind=row.definition.kind,
            )
        )
    return found


def tags_of_patient(patient_id: int) -> list[ShownTag]:
    return tags_of_patients([patient_id]).get(patient_id, [])


def definitions() -> list[TagDefinition]:
    return list(TagDefinition.objects.order_by("kind", "code"))


def patients_with_tag(*, code: str, patient_ids=None) -> set[int]:
    """The people carrying an active tag (among these, when given)."""
    rows = PatientTag.objects.filter(definition__code=code, definition__active=True)
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    return set(rows.values_list("patient_id", flat=True))
