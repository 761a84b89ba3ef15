"""The front desk's page of a patient: contact, family, visits, bills, coupons, points
and messages; never the clinical chart, which stays with doctors."""

import pytest

from conftest import tomorrow_at
from yachi.booking.services import appointments_book
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.growth.facade import points_earn
from yachi.patients.models import ClinicalNote
from yachi.payments.bills import bill_create


@pytest.fixture
def seen(world):
    appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    )
    bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=12300,
        description="洁牙",
    )
    points_earn(
        user=world.patient_parent, points=88, reason="activity", idempotency_key="desk-test"
    )
    ClinicalNote.objects.create(
        patient=world.parent,
        clinic=world.clinic_a,
        author=world.clinic_a_doctor,
        diagnosis="慢性牙龈炎",
    )
    return world


def page_of(client, user, patient):
    client.force_login(user)
    return client.get(f"/console/patients/{patient.public_id}/desk/")


def test_the_front_desk_sees_everything_but_the_chart(client, seen):
    response = page_of(client, seen.clinic_a_front_desk, seen.parent)
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        "张妈妈",
        "13800000001",
        "张小宝",
        seen.parent.chart_number,
        "洁牙",
        "123.00",
        "88",
    ):
        assert shown in page, shown
    assert "慢性牙龈炎" not in page
    assert "打开病历" not in page
    entry = AuditEntry.objects.get(action=AuditAction.PATIENT_PAGE_READ)
    assert entry.actor_id == seen.clinic_a_front_desk.pk
    assert entry.object_id == str(seen.parent.public_id)


def test_the_front_desk_cannot_open_the_chart(client, seen):
    client.force_login(seen.clinic_a_front_desk)
    before = AuditEntry.objects.filter(action=AuditAction.CLINICAL_READ).count()
    response = client.get(f"/console/patients/{seen.parent.public_id}/")
    assert response.status_code == 403
    assert "慢性牙龈炎" not in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.CLINICAL_READ).count() == before


def test_a_doctor_is_offered_the_chart(client, seen):
    page = page_of(client, seen.clinic_a_doctor.user, seen.parent).content.decode()
    assert "打开病历" in page


def test_another_clinics_desk_finds_no_such_patient(client, seen):
    assert page_of(client, seen.clinic_b_front_desk, seen.parent).status_code == 404
    assert page_of(client, seen.patient_parent, seen.parent).status_code in (302, 403, 404)
    assert not AuditEntry.objects.filter(action=AuditAction.PATIENT_PAGE_READ).exists()
