"""The X-rays' part of the family's personal-data download and erasure (PIPL; registered
with compliance in ``ImagingConfig.ready``).

The download lists every study of the family with its images and carries the images
themselves, as the units sent them, under ``xrays/`` — from whichever archive keeps them.
A family's files can be large (a CBCT series is hundreds of slices): past
``YACHI_EXPORT_XRAY_MAX_BYTES`` the rest are listed without their file and the read-me
says to ask the clinic for them, rather than building a download no phone can fetch.
An archive that cannot be reached fails the download with 503 instead of leaving the
X-rays out silently.

An erasure keeps the studies and their files: X-rays are part of the medical record
(15 years after the last visit, 医疗机构病历管理规定, art. 29).
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import ErasedPart, ExportedPart, PersonalDataPart
from yachi.imaging.models import Image, Study
from yachi.imaging.selectors import image_bytes
from yachi.patients import facade as patients

RECORD_RETENTION_YEARS = 15


def _family_ids(user) -> list[int]:
    if not getattr(user, "is_patient", False):
        return []
    return [person.pk for person in patients.everyone_on(patients.account_of(user))]


def _studies(ids):
    return list(
        Study.objects.filter(patient_id__in=ids)
        .select_related("clinic", "patient")
        .order_by("taken_at", "pk")
    )


def latest_records(ids: list[int]) -> dict[int, date]:
    """The day of each person's latest X-ray (for the family's erasure)."""
    return {
        pk: timezone.localdate(moment)
        for pk, moment in Study.objects.filter(patient_id__in=ids)
        .values("patient_id")
        .annotate(last=Max("taken_at"))
        .values_list("patient_id", "last")
    }


def _export(user) -> ExportedPart:
    studies = _studies(_family_ids(user))
    images = (
        Image.objects.filter(study__in=studies)
        .select_related("study")
        .order_by("study_id", *Image._meta.ordering)
    )
    by_study: dict[int, list] = {}
    files: dict[str, bytes] = {}
    budget = settings.YACHI_EXPORT_XRAY_MAX_BYTES
    left_out = 0
    for image in images:
        name = f"xrays/{image.study.public_id}/{image.public_id}.dcm"
        if image.size <= budget:
            files[name] = image_bytes(image)
            budget -= image.size
        else:
            name, left_out = None, left_out + 1
        by_study.setdefault(image.study_id, []).append(
            {
                "id": str(image.public_id),
                "series": image.series_number,
                "number": image.instance_number,
                "rows": image.rows,
                "columns": image.columns,
                "frames": image.frames,
                "bytes": image.size,
                "file": name,
            }
        )
    data = {
        "xray_studies": [
            {
                "id": str(s.public_id),
                "patient": str(s.patient.public_id),
                "clinic": s.clinic.display_name,
                "modality": s.modality,
                "modality_name": s.get_modality_display(),
                "taken_at": timezone.localtime(s.taken_at, ZoneInfo(s.clinic.timezone)).isoformat(),
                "description": s.description,
                "images": by_study.get(s.pk, []),
            }
            for s in studies
        ]
    }
    if left_out:
        data["xray_files_not_included"] = _(
            "%(count)s X-ray images were too large to include in this download; "
            "the clinic that took them will give you a copy."
        ) % {"count": left_out}
    return ExportedPart(data=data, files=files)


def _erase(user, *, reason: str) -> ErasedPart:
    studies = _studies(_family_ids(user))
    if not studies:
        return ErasedPart()
    last = timezone.localdate(max(s.taken_at for s in studies))
    try:
        until = last.replace(year=last.year + RECORD_RETENTION_YEARS)
    except ValueError:  # 29 February
        until = last.replace(year=last.year + RECORD_RETENTION_YEARS, day=28)
    return ErasedPart(
        retained=[
            {
                "what": _("X-ray studies and their images"),
                "until": until.isoformat(),
                "reason": _(
                    "X-rays are part of the medical record, which must be kept for at least "
                    "15 years after the last visit (Medical Records Management Regulations, "
                    "art. 29)."
                ),
            }
        ],
        details={"xray_studies_kept": len(studies)},
    )


# Exported after the chart (its studies are the chart's evidence); erased before the family.
PERSONAL_DATA = PersonalDataPart(name="xrays", order=55, exporter=_export, eraser=_erase)
