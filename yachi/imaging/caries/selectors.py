"""Reads of caries marks: a study's or an image's marks, and the agreement figures."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from yachi.imaging.caries.choices import MarkSource, MarkStatus
from yachi.imaging.caries.models import CariesAnalysis, CariesMark


def marks_of_study(*, study, confirmed_only: bool) -> list[CariesMark]:
    marks = CariesMark.objects.filter(image__study=study).select_related("image")
    if confirmed_only:
        marks = marks.filter(status=MarkStatus.CONFIRMED)
    return list(marks.order_by("image__series_number", "image__instance_number", "image_id", "id"))


def marks_of_image(*, image, confirmed_only: bool = False) -> list[CariesMark]:
    marks = CariesMark.objects.filter(image=image)
    if confirmed_only:
        marks = marks.filter(status=MarkStatus.CONFIRMED)
    return list(marks.order_by("-probability", "id"))


def analyses_of_image(*, image) -> list[CariesAnalysis]:
    return list(CariesAnalysis.objects.filter(image=image).order_by("-created_at", "-id"))


def confirmed_of_patient(patient_pk: int) -> list[CariesMark]:
    return list(
        CariesMark.objects.filter(
            image__study__patient_id=patient_pk, status=MarkStatus.CONFIRMED
        ).exclude(tooth="")
    )


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def agreement(*, clinic) -> dict:
    """Per model version and week of review at this clinic: the model's marks reviewed and
    confirmed, and the lesions doctors added. Precision = confirmed / reviewed; recall =
    confirmed / (confirmed + added), the doctors' decisions taken as the truth."""
    rows = (
        CariesMark.objects.filter(image__study__clinic=clinic, reviewed_at__isnull=False)
        .exclude(model_version="")
        .annotate(day=TruncDate("reviewed_at"))
        .values("model_version", "day")
        .annotate(
            reviewed=Count("id", filter=Q(source=MarkSource.AI)),
            confirmed=Count("id", filter=Q(source=MarkSource.AI, status=MarkStatus.CONFIRMED)),
            added=Count("id", filter=Q(source=MarkSource.DOCTOR, status=MarkStatus.CONFIRMED)),
        )
    )
    weeks: dict[str, dict[date, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: {"reviewed": 0, "confirmed": 0, "added": 0})
    )
    for row in rows:
        cell = weeks[row["model_version"]][week_of(row["day"])]
        for key in ("reviewed", "confirmed", "added"):
            cell[key] += row[key]
    versions = []
    for version in sorted(weeks):
        lines, total = [], {"reviewed": 0, "confirmed": 0, "added": 0}
        for week in sorted(weeks[version]):
            cell = weeks[version][week]
            for key in total:
                total[key] += cell[key]
            lines.append({"week": week, **cell, **_rates(cell)})
        versions.append({"version": version, "weeks": lines, "total": {**total, **_rates(total)}})
    pending = CariesMark.objects.filter(
        image__study__clinic=clinic, status=MarkStatus.SUGGESTED
    ).count()
    return {"versions": versions, "pending": pending}


def _rates(cell: dict[str, int]) -> dict[str, float | None]:
    confirmed, reviewed, added = cell["confirmed"], cell["reviewed"], cell["added"]
    return {
        "precision": confirmed / reviewed if reviewed else None,
        "recall": confirmed / (confirmed + added) if confirmed + added else None,
    }
