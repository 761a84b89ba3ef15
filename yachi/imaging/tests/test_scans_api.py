"""Scans over the API and in the pages: upload with its refusals, who sees what, audit."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.apiclient import ApiClient
from yachi.clinical.odontogram.teeth import PERMANENT
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.imaging.scans.geometry.arch import place
from yachi.imaging.scans.geometry.synthetic import jaw_stl
from yachi.imaging.scans.models import Scan

pytestmark = pytest.mark.django_db

STL = jaw_stl(place(set(PERMANENT)), "upper", subdivisions=0)


def _upload(user, patient, *, data=STL, name="upper.stl", jaw="upper", taken_on="2026-11-20"):
    client = Client()
    api = ApiClient().as_user(user)
    return client.post(
        f"/api/v1/patients/{patient.public_id}/scans",
        {"file": SimpleUploadedFile(name, data), "jaw": jaw, "taken_on": taken_on},
        headers={"Authorization": f"Bearer {api.token}"},
    )


@pytest.fixture
def scanned(seen):
    answer = _upload(seen.clinic_a_doctor.user, seen.patient_child)
    assert answer.status_code == 201, answer.content
    seen.scan = Scan.objects.get(public_id=answer.json()["id"])
    return seen


def test_staff_upload_a_scan_kept_encrypted_and_audited(scanned):
    scan = scanned.scan
    assert scan.jaw == "upper" and scan.source_format == "stl" and scan.triangles > 0
    with scan.file.open("rb") as stored:
        assert stored.read(4) != b"glTF"  # on disk only as ciphertext
    assert AuditEntry.objects.filter(
        action=AuditAction.SCAN_UPLOADED, object_id=str(scan.public_id)
    ).exists()


def test_the_parent_lists_and_downloads_the_childs_scan(scanned):
    client = ApiClient().as_user(scanned.patient_parent)
    (listed,) = client.get(f"/patients/{scanned.patient_child.public_id}/scans").json()
    assert listed["jaw"] == "upper" and listed["taken_on"] == "2026-11-20"
    glb = client.get(f"/scans/{scanned.scan.public_id}/glb")
    assert glb.status_code == 200 and glb["Content-Type"] == "model/gltf-binary"
    assert glb.content[:4] == b"glTF" and "no-store" in glb["Cache-Control"]


@pytest.mark.parametrize("who", ["other_patient", "clinic_b_front_desk"])
def test_strangers_find_no_scans(scanned, who):
    client = ApiClient().as_user(getattr(scanned, who))
    assert client.get(f"/patients/{scanned.patient_child.public_id}/scans").status_code == 404
    answer = client.get(f"/scans/{scanned.scan.public_id}/glb")
    assert answer.status_code == 404 and answer.json()["code"] == "scan_not_found"
    assert client.get(f"/patients/{scanned.patient_child.public_id}/arch").status_code == 404


def test_nobody_logged_in_gets_nothing(scanned):
    assert ApiClient().get(f"/scans/{scanned.scan.public_id}/glb").status_code == 401
    assert ApiClient().get(f"/patients/{scanned.patient_child.public_id}/scans").status_code == 401


def test_staff_reads_are_audited_and_the_familys_are_not(scanned):
    before = AuditEntry.objects.filter(action=AuditAction.SCAN_READ).count()
    desk = ApiClient().as_user(scanned.clinic_a_front_desk)
    assert desk.get(f"/scans/{scanned.scan.public_id}/glb").status_code == 200
    assert desk.get(f"/patients/{scanned.patient_child.public_id}/scans").status_code == 200
    ApiClient().as_user(scanned.patient_parent).get(f"/scans/{scanned.scan.public_id}/glb")
    assert AuditEntry.objects.filter(action=AuditAction.SCAN_READ).count() == before + 2


@pytest.mark.parametrize(
    "data,name,status,code",
    [
        (b"%PDF-1.7 this is a letter" * 20, "letter.stl", 422, "scan_not_a_mesh"),
        (STL[: len(STL) // 3], "cut.stl", 422, "scan_truncated"),
        (b"", "empty.stl", 422, "scan_empty"),
        (STL, "scan.docx", 422, "scan_unsupported_format"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_kept(seen, data, name, status, code):
    answer = _upload(seen.clinic_a_doctor.user, seen.patient_child, data=data, name=name)
    assert answer.status_code == status
    assert answer.json()["code"] == code and answer.json()["message"]
    assert not Scan.objects.exists()


def test_a_file_over_the_limit_is_too_large(seen, settings):
    settings.YACHI_SCAN_MAX_BYTES = 1000
    answer = _upload(seen.clinic_a_doctor.user, seen.patient_child)
    assert answer.status_code == 413 and answer.json()["code"] == "scan_too_large"


def test_too_many_triangles_are_refused(seen, settings):
    settings.YACHI_SCAN_MAX_TRIANGLES = 100
    answer = _upload(seen.clinic_a_doctor.user, seen.patient_child)
    assert answer.status_code == 422 and answer.json()["code"] == "scan_too_many_triangles"


def test_a_bad_jaw_or_date_is_refused(seen):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    for fields, code in (
        ({"jaw": "middle"}, "invalid_jaw"),
        ({"taken_on": future}, "invalid_date"),
        ({"taken_on": "yesterday"}, "invalid_date"),
    ):
        answer = _upload(seen.clinic_a_doctor.user, seen.patient_child, **fields)
        assert answer.status_code == 422 and answer.json()["code"] == code


def test_patients_and_other_clinics_cannot_upload(seen):
    assert _upload(seen.patient_parent, seen.patient_child).status_code == 404
    assert _upload(seen.clinic_b_front_desk, seen.patient_child).status_code == 404
    assert not Scan.objects.exists()


# --- the arch -----------------------------------------------------------------------------


def test_the_arch_follows_the_chart_and_its_access(seen):
    body = (
        ApiClient()
        .as_user(seen.patient_parent)
        .get(f"/patients/{seen.parent.public_id}/arch")
        .json()
    )
    teeth = {t["tooth"]: t for t in body["teeth"]}
    assert "11" in teeth and teeth["16"]["kind"] == "molar"
    assert {t["shape"] for t in body["teeth"]} <= set(body["shapes"])
    assert [entry["level"] for entry in body["legend"]] == ["low", "moderate", "high", None]
    assert body["staging"] is None
    before = AuditEntry.objects.filter(action=AuditAction.CLINICAL_READ).count()
    staff = (
        ApiClient().as_user(seen.clinic_a_front_desk).get(f"/patients/{seen.parent.public_id}/arch")
    )
    assert staff.status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.CLINICAL_READ).count() == before + 1


# --- pages --------------------------------------------------------------------------------


def test_the_console_uploads_through_the_form_with_friendly_refusals(client, seen):
    client.force_login(seen.clinic_a_doctor.user)
    url = f"/console/patients/{seen.patient_child.public_id}/scans/upload/"
    bad = client.post(
        url,
        {
            "file": SimpleUploadedFile("x.stl", b"not a mesh at all" * 30),
            "jaw": "lower",
            "taken_on": "2026-11-01",
        },
        follow=True,
    )
    assert bad.status_code == 200 and "不是口扫仪导出的三维网格" in bad.content.decode()
    good = client.post(
        url,
        {"file": SimpleUploadedFile("x.stl", STL), "jaw": "lower", "taken_on": "2026-11-01"},
        follow=True,
    )
    assert good.status_code == 200 and Scan.objects.filter(jaw="lower").count() == 1
    page = good.content.decode()
    assert "data-scan-viewer" in page and 'type="importmap"' in page


def test_the_app_shows_the_family_its_scans_read_only(client, scanned):
    client.force_login(scanned.patient_parent)
    page = client.get(f"/scans/{scanned.patient_child.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-scan-viewer" in html and "scan-upload" not in html
    assert client.get(f"/scans/files/{scanned.scan.public_id}/glb/").status_code == 200
    arch = client.get(f"/arch/{scanned.patient_child.public_id}/")
    assert arch.status_code == 200 and "data-arch-viewer" in arch.content.decode()


def test_another_clinics_desk_cannot_open_the_pages(client, scanned):
    client.force_login(scanned.clinic_b_front_desk)
    child = scanned.patient_child.public_id
    assert client.get(f"/console/patients/{child}/scans/").status_code == 404
    assert client.get(f"/console/scan-files/{scanned.scan.public_id}/glb/").status_code == 404
    assert client.get(f"/console/patients/{child}/arch/").status_code == 404
