"""The imaging tests' world: mother and child booked at clinic A, the stranger at clinic B;
for the caries tests, the mother's bitewing marked by the model."""

from datetime import datetime

import pytest

from conftest import book_seen
from yachi.imaging.caries.models import CariesMark
from yachi.imaging.dicom.synthetic import Picture, drawing, part10
from yachi.imaging.services import instance_receive


@pytest.fixture
def seen(world):
    return book_seen(world)


TEETH = ("16", "15", "14")


def bitewing(clinic, patient, *, seed=1, lesion_rate=0.5, **extra):
    return Picture(
        modality="IO",
        patient_id=patient.chart_number,
        taken_at=datetime(2026, 11, 20, 9, 30),  # noqa: DTZ001
        teeth=TEETH,
        rows=240,
        columns=320,
        seed=seed,
        lesion_rate=lesion_rate,
        **extra,
    )


@pytest.fixture
def marked(seen, django_capture_on_commit_callbacks):
    """The mother's bitewing (two drawn lesions) received at clinic A and marked by the job."""
    picture = bitewing(seen.clinic_a, seen.parent)
    with django_capture_on_commit_callbacks(execute=True):
        seen.image = instance_receive(clinic=seen.clinic_a, data=part10(picture)).image
    seen.lesions = drawing(picture).lesions
    seen.marks = list(CariesMark.objects.filter(image=seen.image).order_by("x0"))
    seen.study = seen.image.study
    return seen
