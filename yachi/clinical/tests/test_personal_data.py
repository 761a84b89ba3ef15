"""The tooth chart, treatment plans and X-rays in the family's data download, and what an
erasure does with them: the medical record stays, offers still open are withdrawn."""

import io
import json
import zipfile

import pytest

from yachi.clinical.models import ChartEntry, PlanAcceptance, TreatmentPlan
from yachi.compliance.models import AuditEntry
from yachi.imaging.dicom.synthetic import Picture, part10
from yachi.imaging.models import Image, Study
from yachi.imaging.services import instance_receive
from yachi.patients.models import Patient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def record(world, accepted):
    """An accepted plan (the filling of 16), a second plan still only offered, an X-ray."""
    from yachi.clinical import services
    from yachi.clinical.access import chart_write_access

    doctor = world.clinic_a_doctor.user
    patient, clinic_ids = chart_write_access(actor=doctor, patient_id=world.parent.public_id)
    offer = services.plan_create(
        actor=doctor, patient=patient, clinic_ids=clinic_ids, title="洁牙", note="每半年一次"
    )
    services.plan_item_add(actor=doctor, plan=offer, phase=1, service_code="cleaning")
    services.plan_propose(actor=doctor, plan=offer)
    world.xray_data = part10(Picture(patient_id=world.parent.chart_number))
    world.xray = instance_receive(clinic=world.clinic_a, data=world.xray_data).image
    return world


def _download(api, user):
    response = api.as_user(user).get("/me/export")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("data.json")), archive


def test_the_download_holds_the_chart_the_plans_with_the_signature_and_the_xrays(api, record):
    data, archive = _download(api, record.patient_parent)
    (caries,) = data["tooth_chart"]
    assert (caries["tooth"], caries["finding"], caries["surfaces"]) == ("16", "caries", "O")
    plans = {p["title"]: p for p in data["treatment_plans"]}
    filling = plans["补牙"]
    assert filling["status"] == "accepted"
    (acceptance,) = filling["acceptances"]
    assert acceptance["signature"] == "张妈妈" and acceptance["agreed_to"]
    assert filling["phases"][0]["procedures"][0]["tooth"] == "16"
    assert plans["洁牙"]["note"] == "每半年一次"
    (study,) = data["xray_studies"]
    (image,) = study["images"]
    assert image["file"] == f"xrays/{study['id']}/{record.xray.public_id}.dcm"
    assert archive.read(image["file"]) == record.xray_data
    assert "xrays/" in archive.read("README.txt").decode()


def test_xrays_past_the_downloads_limit_are_listed_and_the_clinic_named(api, record, settings):
    settings.YACHI_EXPORT_XRAY_MAX_BYTES = 100
    data, archive = _download(api, record.patient_parent)
    assert data["xray_studies"][0]["images"][0]["file"] is None
    assert "xray_files_not_included" in data
    assert not [n for n in archive.namelist() if n.startswith("xrays/")]


def test_a_family_member_sees_nothing_of_another_family(api, record):
    data, _archive = _download(api, record.other_patient)
    assert data["tooth_chart"] == [] and data["treatment_plans"] == []
    assert data["xray_studies"] == []


def test_erasure_keeps_the_record_withdraws_open_offers_and_says_until_when(api, record):
    response = api.as_user(record.patient_parent).post("/me/erasure")
    assert response.status_code == 200
    retained = {r["what"]: r for r in response.json()["retained"]}
    kept = [r for r in retained.values() if "15" in r["reason"] and r["until"]]
    assert len(kept) == 3  # the family's identities, the chart and plans, the X-rays
    # No visit has happened yet, but the mother has a chart and an X-ray: her name stays.
    assert Patient.objects.get(pk=record.parent.pk).name == "张妈妈"
    assert ChartEntry.objects.filter(patient=record.parent).count() == 1
    assert PlanAcceptance.objects.get().signature == "张妈妈"
    statuses = dict(TreatmentPlan.objects.values_list("title", "status"))
    assert statuses == {"补牙": "accepted", "洁牙": "cancelled"}
    assert Study.objects.filter(patient=record.parent).exists()
    image = Image.objects.get()
    assert image.file.storage.exists(image.file.name)
    assert AuditEntry.objects.filter(
        action="treatment_plan_changed", details__reason="account_erased"
    ).exists()
