"""Clinical notes: encrypted at rest, doctors only, every access audited."""

import pytest
from django.db import connection

from conftest import tomorrow_at
from yachi.booking.services import appointments_book
from yachi.compliance.models import AuditEntry
from yachi.patients.models import ClinicalNote

NOTE = {
    "chief_complaint": "右下后牙冷热刺激痛",
    "findings": "46 深龋",
    "diagnosis": "46 深龋",
    "treatment": "46 树脂充填",
}


@pytest.fixture
def seen(world):
    """The parent has a visit at clinic A."""
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]


def notes_url(patient) -> str:
    return f"/patients/{patient.public_id}/notes"


def test_a_doctor_writes_and_reads_a_note(api, world, seen):
    api.as_user(world.clinic_a_doctor.user)
    written = api.post(notes_url(world.parent), {**NOTE, "appointment_id": str(seen.public_id)})
    assert written.status_code == 201, written.content
    assert written.json()["diagnosis"] == "46 深龋"
    assert written.json()["author"]["name"] == "王医生"
    listed = api.get(notes_url(world.parent))
    assert [n["treatment"] for n in listed.json()] == ["46 树脂充填"]


def test_notes_are_stored_encrypted(api, world, seen):
    api.as_user(world.clinic_a_doctor.user).post(notes_url(world.parent), NOTE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT diagnosis, chief_complaint FROM patients_clinicalnote")
        diagnosis, complaint = cursor.fetchone()
    assert diagnosis.startswith("sm4gcm:v1:") and "深龋" not in diagnosis
    assert complaint.startswith("sm4gcm:v1:")


def test_every_read_and_write_leaves_an_audit_entry(api, world, seen):
    api.as_user(world.clinic_a_doctor.user)
    api.post(notes_url(world.parent), NOTE)
    api.get(notes_url(world.parent))
    entries = list(
        AuditEntry.objects.order_by("seq").values_list("action", "actor_role", "object_id")
    )
    clinical = [e for e in entries if e[0].startswith("clinical")]
    assert clinical[0][:2] == ("clinical_write", "doctor")
    assert clinical[1] == ("clinical_read", "doctor", str(world.parent.public_id))


def test_front_desk_cannot_read_clinical_notes(api, world, seen):
    response = api.as_user(world.clinic_a_front_desk).get(notes_url(world.parent))
    assert response.status_code == 403
    assert response.json()["code"] == "clinical_records_forbidden"


def test_a_doctor_of_another_clinic_does_not_see_the_patient(api, world, seen):
    api.as_user(world.clinic_a_doctor.user).post(notes_url(world.parent), NOTE)
    response = api.as_user(world.clinic_b_doctor.user).get(notes_url(world.parent))
    assert response.status_code == 404


def test_patients_cannot_read_notes_through_the_staff_api(api, world, seen):
    assert api.as_user(world.patient_parent).get(notes_url(world.parent)).status_code == 403


def test_a_note_needs_a_diagnosis(api, world, seen):
    api.as_user(world.clinic_a_doctor.user)
    response = api.post(notes_url(world.parent), {**NOTE, "diagnosis": "  "})
    assert response.status_code == 422
    assert not ClinicalNote.objects.exists()
