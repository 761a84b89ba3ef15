"""PIPL: consent, facial photos, downloading and erasing one's data."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from PIL import Image

from conftest import tomorrow_at
from tests.factories import consent_all, png_upload
from yachi.accounts.models import User
from yachi.booking.models import Appointment
from yachi.booking.services import appointment_advance, appointments_book
from yachi.compliance.models import AuditEntry
from yachi.patients.models import FacePhoto, Patient
from yachi.patients.privacy.consents import current_version


def test_consents_are_given_and_withdrawn(api, world):
    api.as_user(world.patient_parent)
    states = {c["kind"]: c for c in api.get("/consents").json()}
    assert set(states) == {"privacy_policy", "medical_data", "facial_images"}
    assert [k for k, c in states.items() if c["granted"]] == ["privacy_policy"]
    given = api.post("/consents", {"kind": "medical_data", "version": current_version()})
    assert {c["kind"]: c["granted"] for c in given.json()}["medical_data"] is True
    withdrawn = api.post("/consents/medical_data/withdraw")
    assert withdrawn.status_code == 200
    assert not {c["kind"]: c["granted"] for c in api.get("/consents").json()}["medical_data"]
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "consent_granted" in actions and "consent_withdrawn" in actions


def test_an_outdated_consent_text_is_refused(api, world):
    response = api.as_user(world.patient_parent).post(
        "/consents", {"kind": "privacy_policy", "version": "2001-01"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "consent_version_outdated"


def test_facial_photos_need_their_own_consent(api, world):
    api.as_user(world.patient_parent)
    url = f"/api/v1/family-members/{world.patient_child.public_id}/face-photos"
    headers = {"Authorization": f"Bearer {api.token}"}
    refused = api.client.post(url, {"file": png_upload()}, headers=headers)
    assert refused.status_code == 403
    assert refused.json()["code"] == "consent_required"
    assert not FacePhoto.objects.exists()


def test_a_facial_photo_is_stored_encrypted_without_metadata(api, world, settings):
    consent_all(world.patient_parent)
    api.as_user(world.patient_parent)
    headers = {"Authorization": f"Bearer {api.token}"}
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make: metadata that must not survive
    Image.new("RGB", (80, 60), (10, 20, 30)).save(buffer, format="JPEG", exif=exif)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("face.jpg", buffer.getvalue(), content_type="image/jpeg")
    url = f"/api/v1/family-members/{world.patient_child.public_id}/face-photos"
    created = api.client.post(url, {"file": upload}, headers=headers)
    assert created.status_code == 201, created.content
    photo = FacePhoto.objects.get()
    stored = Path(photo.file.path).read_bytes()
    assert stored.startswith(b"sm4gcm:v1:")
    assert os.path.commonpath([photo.file.path, str(settings.DATA_DIR / "faces")]) == str(
        settings.DATA_DIR / "faces"
    )
    served = api.client.get(f"/api/v1/face-photos/{created.json()['id']}", headers=headers)
    assert served["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.size == (80, 60)
        assert not image.getexif()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"GIF89a not allowed", "file_type"),
        (b"\x89PNG\r\n\x1a\n but not really a png", "file_unreadable"),
        (b"%PDF-1.7 dressed as a photo", "file_type"),
    ],
)
def test_uploads_are_judged_by_their_content(api, world, content, code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    consent_all(world.patient_parent)
    api.as_user(world.patient_parent)
    upload = SimpleUploadedFile("face.png", content, content_type="image/png")
    url = f"/api/v1/family-members/{world.patient_child.public_id}/face-photos"
    response = api.client.post(
        url, {"file": upload}, headers={"Authorization": f"Bearer {api.token}"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert not FacePhoto.objects.exists()


def test_oversized_uploads_are_refused(api, world, settings):
    settings.YACHI_UPLOAD_MAX_BYTES = 1000
    consent_all(world.patient_parent)
    api.as_user(world.patient_parent)
    url = f"/api/v1/family-members/{world.patient_child.public_id}/face-photos"
    response = api.client.post(
        url, {"file": png_upload(size=(400, 400))}, headers={"Authorization": f"Bearer {api.token}"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "file_too_large"


def test_withdrawing_the_facial_consent_deletes_the_photos(api, world):
    from tests.factories import face_photo

    photo = face_photo(world.patient_parent, world.patient_child)
    path = photo.file.path
    response = api.as_user(world.patient_parent).post("/consents/facial_images/withdraw")
    assert response.json()["facial_photos_deleted"] == 1
    assert not FacePhoto.objects.exists()
    assert not os.path.exists(path)


@pytest.mark.long
def test_the_server_refuses_to_start_when_faces_would_leave_the_machine(tmp_path):
    env = {
        **os.environ,
        "YACHI_DATA_DIR": str(tmp_path),
        "YACHI_FACE_STORAGE_BACKEND": "django.core.files.storage.InMemoryStorage",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Facial photos must stay on local storage" in result.stderr


def test_a_patient_downloads_all_their_data(api, world):
    from tests.factories import face_photo

    face_photo(world.patient_parent, world.patient_child)
    appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.patient_child],
    )
    api.as_user(world.patient_parent)
    response = api.get("/me/export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["phone"] == world.patient_parent.phone
    assert {p["name"] for p in data["people"]} == {"张妈妈", "张小宝"}
    assert len(data["appointments"]) == 1
    photo_files = [n for n in archive.namelist() if n.startswith("photos/")]
    assert len(photo_files) == 1
    assert archive.read(photo_files[0]).startswith(b"\x89PNG")
    assert AuditEntry.objects.filter(action="data_exported").count() == 1


def test_erasure_keeps_medical_records_and_says_until_when(api, world):
    visit = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]
    upcoming = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(15),
        patients=[world.patient_child],
    ).appointments[0]
    import time_machine

    with time_machine.travel(tomorrow_at(10, 5)):
        appointment_advance(actor=world.clinic_a_front_desk, appointment=visit, to_status="arrived")
    api.as_user(world.patient_parent)
    response = api.post("/me/erasure")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "erased"
    records = body["retained"][0]
    assert records["until"].startswith(str(tomorrow_at(10).year + 15))
    assert "15" in records["reason"]
    # The login is gone; the number can register again.
    assert not User.objects.by_phone(world.patient_parent.phone).exists()
    assert api.get("/me").status_code == 401
    # The mother has a record: her identity in it stays, her number goes.
    mother = Patient.objects.get(pk=world.parent.pk)
    assert mother.name == "张妈妈" and mother.phone == ""
    # The child has none: anonymised, and the upcoming visit cancelled.
    child = Patient.objects.get(pk=world.patient_child.pk)
    assert child.name != "张小宝" and child.birth_date is None
    assert Appointment.objects.get(pk=upcoming.pk).status == "cancelled"
    # Nor can the closed login be found by the name any more, even through its index.
    assert not User.objects.filter(name_index__matches="张妈妈").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM accounts_user WHERE id = %s", [world.patient_parent.pk])
        assert cursor.fetchone()[0] == ""


def test_staff_cannot_use_the_patient_rights_endpoints(api, world):
    api.as_user(world.clinic_a_front_desk)
    for refused in (api.get("/me/export"), api.post("/me/erasure")):
        assert refused.status_code == 403
        assert refused.json() == {
            "code": "patients_only",
            "message": "只有患者可以在此下载或删除自己的数据。",
        }


@pytest.mark.django_db(transaction=True)
def test_a_new_patient_accepts_the_policy_before_anything_else(client, db):
    from tests.factories import patient_user

    newcomer = patient_user("13911112222")
    client.force_login(newcomer)
    response = client.get("/appointments/")
    assert response.status_code == 302
    assert response["Location"].startswith("/privacy/consent/")
    refused = client.post("/privacy/consent/", {"next": "/appointments/"}, follow=True)
    assert "请同意隐私政策" in refused.content.decode()
    accepted = client.post(
        "/privacy/consent/",
        {"privacy_policy": "yes", "facial_images": "yes", "next": "/appointments/"},
    )
    assert accepted["Location"] == "/appointments/"
    assert client.get("/appointments/").status_code == 200
    kinds = set(newcomer.family_account.consents.values_list("kind", flat=True))
    assert kinds == {"privacy_policy", "facial_images"}


@pytest.mark.django_db(transaction=True)
def test_the_privacy_page_downloads_and_erases(client, world):
    client.force_login(world.patient_parent)
    page = client.get("/privacy/").content.decode()
    assert "下载我的数据" in page and "隐私政策" in page
    download = client.get("/privacy/export/")
    assert download["Content-Type"] == "application/zip"
    assert b"data.json" in download.content
    erased = client.post("/privacy/erase/", {"confirm": "yes"})
    assert "账户已注销" in erased.content.decode()
    assert client.get("/appointments/").status_code == 302


def test_the_policy_is_readable_in_both_languages(client, db):
    assert "个人信息保护法" in client.get("/privacy/policy/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Personal Information Protection Law" in client.get("/privacy/policy/").content.decode()
