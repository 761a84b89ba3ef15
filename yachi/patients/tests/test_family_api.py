import threading

import pytest
from django.db import connection

from yachi.patients.models import Patient

CHILD = {"name": "小明", "relationship": "child", "gender": "male", "birth_date": "2018-03-02"}


def test_family_members_can_be_added_and_listed(api, world):
    api.as_user(world.other_patient)
    response = api.post("/family-members", CHILD)
    assert response.status_code == 201, response.content
    assert response.json()["relationship"] == "child"
    assert response.json()["relationship_display"] == "子女"
    listed = api.get("/family-members").json()
    assert [m["name"] for m in listed] == ["小明"]


def test_the_sixth_family_member_is_refused(api, world):
    api.as_user(world.other_patient)
    for index in range(5):
        assert api.post("/family-members", {**CHILD, "name": f"孩子{index}"}).status_code == 201
    response = api.post("/family-members", {**CHILD, "name": "第六个"})
    assert response.status_code == 409
    assert response.json()["code"] == "family_limit"
    assert len(api.get("/family-members").json()) == 5


def test_removing_a_member_frees_a_seat(api, world):
    api.as_user(world.other_patient)
    ids = [
        api.post("/family-members", {**CHILD, "name": f"孩子{i}"}).json()["id"] for i in range(5)
    ]
    assert api.delete(f"/family-members/{ids[0]}").status_code == 204
    assert api.post("/family-members", {**CHILD, "name": "新成员"}).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {**CHILD, "name": ""},
        {**CHILD, "name": "x" * 65},
        {**CHILD, "relationship": "self"},
        {**CHILD, "relationship": "pet"},
        {**CHILD, "birth_date": "2999-01-01"},
        {**CHILD, "birth_date": "not a date"},
        {**CHILD, "birth_date": 0},
        {**CHILD, "birth_date": "2019-05-01T00:00:00"},
        {**CHILD, "gender": "robot"},
        {"relationship": "child"},
    ],
)
def test_bad_family_member_data_is_refused_and_changes_nothing(api, world, body):
    api.as_user(world.other_patient)
    response = api.post("/family-members", body)
    assert response.status_code == 422
    assert set(response.json()) >= {"code", "message"}
    assert api.get("/family-members").json() == []


def test_another_account_cannot_see_or_change_my_child(api, world):
    child_id = world.patient_child.public_id
    api.as_user(world.other_patient)
    assert api.get(f"/family-members/{child_id}").status_code == 404
    assert api.put(f"/family-members/{child_id}", CHILD).status_code == 404
    assert api.delete(f"/family-members/{child_id}").status_code == 404
    world.patient_child.refresh_from_db()
    assert world.patient_child.name == "张小宝"
    assert world.patient_child.removed_at is None


def test_the_holder_edits_their_own_profile(api, world):
    api.as_user(world.patient_parent)
    holder_id = api.get("/me").json()["patient_id"]
    body = {"name": "张丽", "relationship": "self", "gender": "female", "birth_date": "1988-08-08"}
    response = api.put(f"/family-members/{holder_id}", body)
    assert response.status_code == 200
    assert api.get("/me").json()["name"] == "张丽"
    assert api.delete(f"/family-members/{holder_id}").status_code == 422


def test_a_member_with_upcoming_appointments_cannot_be_removed(api, world):
    from conftest import tomorrow_at
    from yachi.booking.services import appointments_book

    appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.patient_child],
    )
    api.as_user(world.patient_parent)
    response = api.delete(f"/family-members/{world.patient_child.public_id}")
    assert response.status_code == 409
    assert response.json()["code"] == "member_has_appointments"


def test_concurrent_additions_never_exceed_five(api, world):
    """Ten phones of one family add members at the same moment: five get in."""
    from yachi.patients.services import FamilyLimitReached, family_member_add

    account = world.other_patient.family_account
    barrier = threading.Barrier(10)
    outcomes = []

    def add(index):
        try:
            barrier.wait()
            family_member_add(account=account, name=f"成员{index}", relationship="child")
            outcomes.append("added")
        except FamilyLimitReached:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["added"] * 5 + ["refused"] * 5
    assert Patient.objects.filter(account=account, seat__gt=0).count() == 5
