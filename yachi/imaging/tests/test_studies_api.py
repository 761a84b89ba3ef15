"""Who sees X-rays over the API and in the pages, and what staff reads leave behind."""

import pytest

from tests.apiclient import ApiClient
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.imaging.dicom.synthetic import Picture, part10
from yachi.imaging.selectors import unmatched_studies
from yachi.imaging.services import instance_receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def xrays(seen):
    """Two studies of the child at clinic A, on two dates; one unmatched study there."""
    from datetime import datetime

    seen.bitewing = instance_receive(
        clinic=seen.clinic_a,
        data=part10(
            Picture(
                patient_id=seen.patient_child.chart_number,
                taken_at=datetime(2026, 6, 1, 10, 0),  # noqa: DTZ001
            )
        ),
    ).image
    seen.panoramic = instance_receive(
        clinic=seen.clinic_a,
        data=part10(
            Picture(
                modality="PX",
                patient_id=seen.patient_child.chart_number,
                taken_at=datetime(2026, 11, 1, 10, 0),  # noqa: DTZ001
            )
        ),
    ).image
    seen.stray = instance_receive(
        clinic=seen.clinic_a, data=part10(Picture(patient_id="424242"))
    ).image
    return seen


def _studies(user, patient):
    return ApiClient().as_user(user).get(f"/patients/{patient.public_id}/studies")


def test_the_parent_sees_the_childs_studies_newest_first(xrays):
    answer = _studies(xrays.patient_parent, xrays.patient_child)
    assert answer.status_code == 200
    body = answer.json()
    assert [s["modality"] for s in body] == ["PX", "IO"]
    assert body[0]["taken_at"].startswith("2026-11-01T10:00")
    (image,) = body[1]["images"]
    assert image["id"] == str(xrays.bitewing.public_id)
    assert image["dicom_url"] == f"/api/v1/images/{xrays.bitewing.public_id}/dicom"


def test_the_parent_downloads_the_dicom_file(xrays):
    answer = (
        ApiClient().as_user(xrays.patient_parent).get(f"/images/{xrays.bitewing.public_id}/dicom")
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/dicom"
    assert answer.content[128:132] == b"DICM"
    assert "no-store" in answer["Cache-Control"]


@pytest.mark.parametrize("who", ["other_patient", "clinic_b_front_desk"])
def test_strangers_find_no_studies_and_no_images(xrays, who):
    user = getattr(xrays, who)
    assert _studies(user, xrays.patient_child).status_code == 404
    image = ApiClient().as_user(user).get(f"/images/{xrays.bitewing.public_id}/dicom")
    assert image.status_code == 404 and image.json()["code"] == "image_not_found"


def test_nobody_logged_in_gets_nothing(xrays):
    assert ApiClient().get(f"/patients/{xrays.patient_child.public_id}/studies").status_code == 401
    assert ApiClient().get(f"/images/{xrays.bitewing.public_id}/dicom").status_code == 401


def test_a_patient_never_sees_an_unmatched_study(xrays):
    answer = ApiClient().as_user(xrays.patient_parent).get(f"/images/{xrays.stray.public_id}/dicom")
    assert answer.status_code == 404


def test_staff_reads_are_audited(xrays):
    before = AuditEntry.objects.filter(action=AuditAction.STUDY_READ).count()
    assert _studies(xrays.clinic_a_front_desk, xrays.patient_child).status_code == 200
    answer = (
        ApiClient()
        .as_user(xrays.clinic_a_doctor.user)
        .get(f"/images/{xrays.panoramic.public_id}/dicom")
    )
    assert answer.status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.STUDY_READ).count() == before + 2
    # The patient's own reads are theirs, not staff reads.
    _studies(xrays.patient_parent, xrays.patient_child)
    assert AuditEntry.objects.filter(action=AuditAction.STUDY_READ).count() == before + 2


def test_a_bad_patient_id_is_not_found(xrays):
    answer = ApiClient().as_user(xrays.patient_parent).get("/patients/not-a-uuid/studies")
    assert answer.status_code == 404 and answer.json()["code"] == "patient_not_found"


def test_me_and_family_members_give_the_chart_number(seen):
    client = ApiClient().as_user(seen.patient_parent)
    assert client.get("/me").json()["chart_number"] == seen.parent.chart_number
    numbers = {m["id"]: m["chart_number"] for m in client.get("/family-members").json()}
    assert numbers[str(seen.patient_child.public_id)] == seen.patient_child.chart_number


def test_staff_have_no_chart_number_in_me(seen):
    assert ApiClient().as_user(seen.clinic_a_front_desk).get("/me").json()["chart_number"] is None


# --- pages -----------------------------------------------------------------------------------


def test_the_console_page_shows_the_viewer_within_the_policy(client, xrays):
    client.force_login(xrays.clinic_a_front_desk)
    page = client.get(f"/console/patients/{xrays.patient_child.public_id}/xrays/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-xray-viewer" in html and 'type="importmap"' in html
    # The import map, and nothing else inline, is allowed by its hash.
    import base64
    import hashlib
    import re

    (mapping,) = re.findall(r'<script type="importmap">(.*?)</script>', html, re.S)
    digest = base64.b64encode(hashlib.sha256(mapping.encode()).digest()).decode()
    script_src = next(
        d for d in page["Content-Security-Policy"].split("; ") if d.startswith("script-src")
    )
    assert script_src == f"script-src 'self' 'sha256-{digest}'"
    image = client.get(f"/console/xray-images/{xrays.bitewing.public_id}/dicom/")
    assert image.status_code == 200 and image["Content-Type"] == "application/dicom"


def test_the_app_shows_the_family_its_xrays(client, xrays):
    client.force_login(xrays.patient_parent)
    page = client.get(f"/xrays/{xrays.patient_child.public_id}/")
    assert page.status_code == 200
    assert "data-xray-viewer" in page.content.decode()
    assert client.get(f"/xrays/images/{xrays.panoramic.public_id}/dicom/").status_code == 200
    assert client.get(f"/xrays/images/{xrays.stray.public_id}/dicom/").status_code == 404


def test_another_clinics_desk_cannot_open_the_xrays_page(client, xrays):
    client.force_login(xrays.clinic_b_front_desk)
    assert (
        client.get(f"/console/patients/{xrays.patient_child.public_id}/xrays/").status_code == 404
    )
    assert client.get(f"/console/xray-images/{xrays.stray.public_id}/dicom/").status_code == 404
    assert (
        client.get(f"/console/clinic/{xrays.clinic_a.public_id}/xrays/unmatched/").status_code
        == 404
    )


def test_the_desk_gives_an_unmatched_study_from_the_queue(client, xrays):
    client.force_login(xrays.clinic_a_front_desk)
    queue = client.get(f"/console/clinic/{xrays.clinic_a.public_id}/xrays/unmatched/")
    assert queue.status_code == 200 and "424242" in queue.content.decode()
    (study,) = unmatched_studies(clinic=xrays.clinic_a)
    url = f"/console/clinic/{xrays.clinic_a.public_id}/xrays/unmatched/{study.public_id}/assign/"
    refused = client.post(url, {"chart_number": xrays.other.chart_number}, follow=True)
    assert refused.status_code == 200 and unmatched_studies(clinic=xrays.clinic_a)
    given = client.post(url, {"chart_number": xrays.parent.chart_number})
    assert given.status_code == 302
    assert unmatched_studies(clinic=xrays.clinic_a) == []
    assert AuditEntry.objects.filter(
        action=AuditAction.STUDY_ASSIGNED, actor_id=xrays.clinic_a_front_desk.pk
    ).exists()
