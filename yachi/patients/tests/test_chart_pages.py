import pytest

from conftest import tomorrow_at
from yachi.booking.services import appointments_book
from yachi.compliance.models import AuditEntry
from yachi.patients.models import ClinicalNote

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def visit(world):
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]


def test_a_doctor_finds_a_patient_by_phone_and_writes_a_note(client, world, visit):
    client.force_login(world.clinic_a_doctor.user)
    found = client.get("/console/patients/", {"q": world.patient_parent.phone}).content.decode()
    assert "张妈妈" in found and "打开病历" in found
    chart = f"/console/patients/{world.parent.public_id}/"
    response = client.post(chart, {"diagnosis": "慢性牙龈炎", "treatment": "洁治"})
    assert response.status_code == 302
    page = client.get(chart).content.decode()
    assert "慢性牙龈炎" in page
    assert ClinicalNote.objects.get().author == world.clinic_a_doctor
    reads = AuditEntry.objects.filter(action="clinical_read", object_id=str(world.parent.public_id))
    assert reads.count() == 1  # saving redirects; the page fetched after it reads once


def test_a_doctor_finds_a_patient_by_id_number(client, world, visit):
    world.parent.id_number = "11010519491231002X"
    world.parent.save()
    client.force_login(world.clinic_a_doctor.user)
    found = client.get("/console/patients/", {"q": "11010519491231002x"}).content.decode()
    assert "张妈妈" in found


def test_the_front_desk_is_shown_the_door_of_the_chart(client, world, visit):
    client.force_login(world.clinic_a_front_desk)
    page = client.get(f"/console/patients/{world.parent.public_id}/")
    assert page.status_code == 403
    assert "病历仅限医生查阅" in page.content.decode()


def test_another_clinics_doctor_does_not_find_the_patient(client, world, visit):
    client.force_login(world.clinic_b_doctor.user)
    found = client.get("/console/patients/", {"q": world.patient_parent.phone}).content.decode()
    assert "张妈妈" not in found
    assert client.get(f"/console/patients/{world.parent.public_id}/").status_code == 404


def test_the_desk_sees_how_a_family_first_came_to_the_clinic(client, world, visit):
    account = world.parent.account
    account.acquisition = "referral"
    account.save(update_fields=["acquisition"])
    client.force_login(world.clinic_a_front_desk)
    page = client.get(f"/console/patients/{world.parent.public_id}/desk/").content.decode()
    assert "来源渠道：老带新" in page or "来源渠道: 老带新" in page
