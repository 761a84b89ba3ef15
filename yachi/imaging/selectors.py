"""Reads of imaging: a patient's studies, a clinic's unmatched queue."""

from django.db.models import Count, Prefetch

from yachi.imaging.archive import archive_of
from yachi.imaging.archive.base import Location
from yachi.imaging.models import Image, Study


def studies_of_patient(*, patient, clinic_ids: set[int] | None) -> list[Study]:
    """A patient's studies, newest first, with their images; only those taken at these
    clinics (every clinic for ``None``)."""
    studies = Study.objects.filter(patient=patient)
    if clinic_ids is not None:
        studies = studies.filter(clinic_id__in=clinic_ids)
    return list(
        studies.select_related("clinic")
        .prefetch_related(
            Prefetch("images", queryset=Image.objects.order_by(*Image._meta.ordering))
        )
        .order_by("-taken_at", "-id")
    )


def unmatched_studies(*, clinic) -> list[Study]:
    """The clinic's studies that wait for staff to say whose they are, oldest first."""
    return list(
        Study.objects.filter(clinic=clinic, patient__isnull=True)
        .select_related("clinic")
        .prefetch_related("images")
        .annotate(image_count=Count("images"))
        .order_by("created_at", "id")
    )


def unmatched_count(*, clinic) -> int:
    return Study.objects.filter(clinic=clinic, patient__isnull=True).count()


def image_location(image: Image) -> Location:
    return Location(
        study_uid=image.study.study_uid,
        series_uid=image.series_uid,
        sop_instance_uid=image.sop_instance_uid,
        file_name=image.file.name or "",
    )


def image_bytes(image: Image) -> bytes:
    """The Part 10 file of an image as the unit sent it, from the archive that keeps it
    (``ArchiveUnavailable`` when it cannot be reached)."""
    return archive_of(image.archive).fetch(image_location(image))
