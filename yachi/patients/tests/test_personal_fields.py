"""Names and dates of birth are encrypted at rest, and everything that used them works.

What a stolen copy of the database shows is read with plain SQL; what the clinic sees
goes through the ORM and the pages.
"""

from datetime import date

import pytest
from django.db import connection

from conftest import tomorrow_at
from yachi.accounts.models import User
from yachi.booking.services import appointments_book
from yachi.messaging.models import Notification
from yachi.patients.models import Patient
from yachi.patients.reminders import send_child_milestones
from yachi.patients.services import family_member_add, family_member_remove


def raw(table: str, columns: str, pk) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()


@pytest.mark.django_db
def test_a_database_copy_shows_no_name_and_no_date_of_birth(world):
    name, index, born = raw(
        "patients_patient", "name, name_index, birth_date", world.patient_child.pk
    )
    assert name.startswith("sm4gcm:v1:") and "张小宝" not in name
    assert born.startswith("sm4gcm:v1:") and "2019" not in born
    assert len(index) == 64 and "张" not in index
    (holder_name,) = raw("accounts_user", "name", world.patient_parent.pk)
    assert holder_name.startswith("sm4gcm:v1:") and "张妈妈" not in holder_name


@pytest.mark.django_db
def test_the_clinic_still_reads_them_as_they_were_written(world):
    child = Patient.objects.get(pk=world.patient_child.pk)
    assert (child.name, child.birth_date) == ("张小宝", date(2019, 5, 1))
    assert User.objects.get(pk=world.patient_parent.pk).name == "张妈妈"


def test_a_renamed_holder_is_found_by_the_new_name_only(api, world):
    api.as_user(world.patient_parent)
    body = {"name": "张丽", "relationship": "self", "gender": "female", "birth_date": "1988-08-08"}
    assert api.put(f"/family-members/{world.parent.public_id}", body).status_code == 200
    assert list(User.objects.filter(name_index__matches="张丽")) == [world.patient_parent]
    assert not User.objects.filter(name_index__matches="张妈妈").exists()
    assert Patient.objects.filter(name_index__matches=" 张丽 ").get() == world.parent


# --- the children's milestones, from encrypted dates of birth ------------------------------

TODAY = date(2026, 12, 1)


@pytest.mark.django_db(transaction=True)
def test_the_milestone_job_finds_exactly_the_children_who_have_one_due(world):
    def member(name, born, relationship="child", account=world.patient_parent.family_account):
        return family_member_add(
            account=account, name=name, relationship=relationship, birth_date=born
        )

    one_year_old = member("张一岁", date(2025, 11, 1))  # first visit
    member("张半岁", date(2026, 6, 1))  # too young for anything
    member("张少年", date(2012, 6, 1))  # fourteen: grown out of the milestones
    member("张奶奶", date(1950, 1, 1), relationship="parent")
    stranger = world.other_patient.family_account
    member("陌无生日", None, account=stranger)
    removed = member("陌已移除", date(2025, 10, 1), account=stranger)
    family_member_remove(patient=removed)
    # world.patient_child, born 2019-05-01, is seven and a half: three milestones.

    assert send_child_milestones(today=TODAY) == 4

    told = Notification.objects.filter(kind="child_milestone", channel="inbox")
    assert sorted(n.params["child"] for n in told) == ["张一岁", "张小宝", "张小宝", "张小宝"]
    assert {n.object_id for n in told} == {
        str(one_year_old.public_id),
        str(world.patient_child.public_id),
    }
    assert send_child_milestones(today=TODAY) == 0


@pytest.mark.django_db
def test_the_milestone_job_runs_on_the_29th_of_february(world):
    """It used to compute "13 years ago" with date.replace, which has no 29 February
    in most years."""
    assert send_child_milestones(today=date(2028, 2, 29)) >= 1


# --- the console -----------------------------------------------------------------------------


@pytest.fixture
def visit(world):
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("typed", ["张妈妈", " 张妈妈 ", "张妈妈\u3000"])
def test_a_doctor_finds_a_patient_by_the_whole_name(client, world, visit, typed):
    client.force_login(world.clinic_a_doctor.user)
    found = client.get("/console/patients/", {"q": typed}).content.decode()
    assert "张妈妈" in found and str(world.parent.public_id) in found


@pytest.mark.django_db(transaction=True)
def test_part_of_a_name_finds_only_a_patient_of_ones_own_clinics(client, world, visit):
    # Part of a name is found through search tokens since ADR 0022.
    client.force_login(world.clinic_a_doctor.user)
    assert (
        str(world.parent.public_id)
        in client.get("/console/patients/", {"q": "张"}).content.decode()
    )
    client.force_login(world.clinic_b_doctor.user)
    assert (
        str(world.parent.public_id)
        not in client.get("/console/patients/", {"q": "张妈妈"}).content.decode()
    )
