"""The imaging tests' world: mother and child booked at clinic A, the stranger at clinic B;
for the caries tests, the mother's bitewing marked by the model."""

from datetime import datetime

import pytest

from conftest import book_seen
from tests import factories as f
from yachi.clinical import services as clinical
from yachi.clinical.access import chart_write_access
from yachi.imaging.caries.models import CariesMark
from yachi.imaging.dicom.synthetic import Picture, drawing, part10
from yachi.imaging.services import instance_receive


@pytest.fixture
def seen(world):
    return book_seen(world)


@pytest.fixture
def aligner_plan(seen):
    """The parent: caries on 16, 36 missing, an aligner plan proposed by clinic A's doctor."""
    doctor = seen.clinic_a_doctor.user
    f.ServiceFactory(clinic=seen.clinic_a, code="aligner", name="隐形矫正", price_fen=2_800_000)
    patient, clinic_ids = chart_write_access(actor=doctor, patient_id=seen.parent.public_id)
    for tooth, kind, surfaces in (("16", "caries", "O"), ("36", "missing", "")):
        clinical.finding_record(
            actor=doctor,
            patient=patient,
            clinic_ids=clinic_ids,
            tooth=tooth,
            kind=kind,
            surfaces=surfaces,
        )
    plan = clinical.plan_create(
        actor=doctor, patient=patient, clinic_ids=clinic_ids, title="隐形矫正"
    )
    clinical.plan_item_add(
        actor=doctor, plan=plan, phase=1, phase_title="矫正", service_code="aligner"
    )
    clinical.plan_propose(actor=doctor, plan=plan)
    seen.plan = plan
    return seen


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
