"""How X-ray studies are named in the audit console (registered with compliance in
``ImagingConfig.ready``): by when and what, for staff of the clinic that took them."""

from zoneinfo import ZoneInfo

from django.utils import timezone

from yachi.clinics import facade as clinics
from yachi.core.models import as_public_id
from yachi.imaging.models import Study


def study_labels(viewer, ids) -> dict[str, str]:
    """``2026-11-30 09:15 Intraoral X-ray``; nothing the unit sent (names, IDs)."""
    public_ids = [public_id for public_id in map(as_public_id, ids) if public_id]
    if not getattr(viewer, "is_clinic_staff", False) or not public_ids:
        return {}
    found = Study.objects.filter(public_id__in=public_ids).select_related("clinic")
    mine = clinics.staff_clinic_ids(viewer)
    if mine is not None:
        found = found.filter(clinic_id__in=mine)
    return {
        str(study.public_id): (
            f"{timezone.localtime(study.taken_at, ZoneInfo(study.clinic.timezone)):%Y-%m-%d %H:%M} "
            f"{study.get_modality_display()}"
        )
        for study in found.only("public_id", "taken_at", "modality", "clinic__timezone")
    }
