"""Reads of imaging: a patient's studies, a clinic's unmatched queue."""

from django.db.models import Count, Prefetch

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


def image_bytes(image: Image) -> bytes:
    """The Part 10 file of an image as the unit sent it (decrypted)."""
    from yachi.compliance.facade import decrypt_bytes
    from yachi.imaging.services import FILE_CONTEXT

    with image.file.open("rb") as stored:
        return decrypt_bytes(stored.read(), context=FILE_CONTEXT)
