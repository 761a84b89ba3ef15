"""What the review screen shows of one image: the picture, its marks drawn where they are,
the study's other images, and whether this person may decide."""

from django.urls import reverse

from yachi.clinics import facade as clinics
from yachi.imaging.caries import selectors
from yachi.imaging.caries.choices import MarkStatus


def review_context(user, image) -> dict:
    study = image.study
    marks = selectors.marks_of_image(image=image)
    images = list(study.images.order_by("series_number", "instance_number", "id"))
    return {
        "image": image,
        "study": study,
        "patient": study.patient,
        "marks": drawn_marks(marks),
        "images": [
            {
                "url": reverse("console:caries_review", args=[other.public_id]),
                "current": other.pk == image.pk,
                "number": index,
            }
            for index, other in enumerate(images, start=1)
        ],
        "analyses": selectors.analyses_of_image(image=image),
        "suggested": sum(1 for m in marks if m.status == MarkStatus.SUGGESTED),
        "may_review": study.patient_id is not None
        and clinics.may(user, study.clinic, clinics.Duty.TREAT),
        "picture_url": reverse("console:xray_picture", args=[image.public_id]),
    }


def drawn_marks(marks) -> list[dict]:
    return [
        {
            "mark": mark,
            "number": number,
            "x": mark.x0,
            "y": mark.y0,
            "width": mark.x1 - mark.x0,
            "height": mark.y1 - mark.y0,
            "percent": None if mark.probability is None else round(mark.probability * 100),
        }
        for number, mark in enumerate(marks, start=1)
    ]


def images_with_marks(studies, *, confirmed_only: bool, picture_route: str) -> list[dict]:
    """Each intraoral image of these studies with its marks (the confirmed ones only, for
    patients), in one read of the marks."""
    from yachi.imaging.caries.models import CariesMark

    images = [image for study in studies for image in study.images.all()]
    marks = CariesMark.objects.filter(image__in=images)
    if confirmed_only:
        marks = marks.filter(status=MarkStatus.CONFIRMED)
    by_image: dict[int, list] = {}
    for mark in marks.order_by("-probability", "id"):
        by_image.setdefault(mark.image_id, []).append(mark)
    found = []
    for study in studies:
        for image in study.images.all():
            if image.modality != "IO":
                continue
            own = by_image.get(image.pk, [])
            found.append(
                {
                    "image": image,
                    "study": study,
                    "marks": drawn_marks(own),
                    "suggested": sum(1 for m in own if m.status == MarkStatus.SUGGESTED),
                    "confirmed": sum(1 for m in own if m.status == MarkStatus.CONFIRMED),
                    "review_url": reverse("console:caries_review", args=[image.public_id]),
                    "picture_url": reverse(picture_route, args=[image.public_id]),
                }
            )
    return found
