"""The audit console names chart findings, treatment plans and X-ray studies for the staff
of the clinic they belong to, and for nobody else."""

from datetime import datetime

import pytest

from yachi.clinical.choices import Finding, PlanStatus
from yachi.clinical.models import ChartEntry
from yachi.compliance.facade import object_labels
from yachi.imaging.choices import Modality
from yachi.imaging.dicom.synthetic import Picture, part10
from yachi.imaging.services import instance_receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world, plan):
    entry = ChartEntry.objects.get(tooth="16")
    study = instance_receive(
        clinic=world.clinic_a,
        data=part10(
            Picture(
                patient_id=world.parent.chart_number,
                taken_at=datetime(2026, 11, 30, 9, 15),  # noqa: DTZ001
            )
        ),
    ).image.study
    return [
        ("chart_entry", str(entry.public_id)),
        ("treatment_plan", str(plan.public_id)),
        ("study", str(study.public_id)),
    ]


def test_staff_of_the_clinic_see_what_each_object_is(world, objects):
    labels = object_labels(world.clinic_a_front_desk, objects)
    entry, plan, study = (labels[pair] for pair in objects)
    seen_on = ChartEntry.objects.get(tooth="16").seen_on
    assert entry == f"16 {Finding.CARIES.label} O {seen_on:%Y-%m-%d}"
    assert plan == f"补牙 · {PlanStatus.PROPOSED.label}"
    assert study == f"2026-11-30 09:15 {Modality.INTRAORAL.label}"


@pytest.mark.parametrize("who", ["clinic_b_front_desk", "patient_parent", "other_patient"])
def test_others_see_no_names(world, objects, who):
    assert object_labels(getattr(world, who), objects) == {}


def test_the_console_shows_the_kinds_by_name(world, objects):
    from yachi.compliance.facade import object_kind

    assert {object_kind(kind) for kind, _id in objects}.isdisjoint(
        {"chart_entry", "treatment_plan", "study"}
    )
