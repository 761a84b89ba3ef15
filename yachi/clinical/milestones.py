"""Children's milestones from the tooth chart, for the patients' reminders (ADR 0059).

Two things the chart knows better than an age: a first permanent molar recorded as
erupted and not yet sealed (the sealant reminder, whatever the child's age), and a
primary tooth still in place a year after it is usually shed, with its successor not
recorded as erupted (a check-up to see whether the new tooth is on its way). Only
children with a chart are considered: without entries the chart says nothing.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from yachi.clinical.models import ChartEntry
from yachi.clinical.odontogram.teeth import PRIMARY, PRIMARY_SHED, successor
from yachi.patients import facade as patients

FIRST_MOLARS = ("16", "26", "36", "46")
LATE_BY_MONTHS = 12
SEALANT = next(m for m in patients.MILESTONES if m.code == "first_molar_sealant")
LATE_PRIMARY_TOOTH = patients.Milestone(
    "primary_tooth_late",
    _("a baby tooth is late to fall out: a check-up shows whether the new tooth is on its way"),
    0,
    13 * 12,
    "cleaning",
)


def _months(birth: date, today: date) -> int:
    months = (today.year - birth.year) * 12 + today.month - birth.month
    return months - (1 if today.day < birth.day else 0)


def chart_milestones(children: dict[int, date], today: date) -> dict[int, list]:
    rows = ChartEntry.objects.filter(
        patient_id__in=list(children), corrects__isnull=True, correction__isnull=True
    ).values_list("patient_id", "tooth", "kind")
    charts: dict[int, dict[str, set[str]]] = {}
    for patient_id, tooth, kind in rows.iterator(chunk_size=2000):
        charts.setdefault(patient_id, {}).setdefault(tooth, set()).add(kind)
    due: dict[int, list] = {}
    for patient_id, chart in charts.items():
        found = []
        erupted_unsealed = any(
            "erupted" in chart.get(t, set()) and "sealant" not in chart.get(t, set())
            for t in FIRST_MOLARS
        )
        if erupted_unsealed:
            found.append(SEALANT)
        age = _months(children[patient_id], today)
        for tooth in PRIMARY:
            kinds = chart.get(tooth, set())
            after = chart.get(successor(tooth), set())
            if (
                age >= PRIMARY_SHED[int(tooth[1])] + LATE_BY_MONTHS
                and not kinds & {"exfoliated", "missing"}
                and "erupted" not in after
                and kinds
            ):
                found.append(LATE_PRIMARY_TOOTH)
                break
        if found:
            due[patient_id] = found
    return due
