"""``/api/v1/conversations``: what the mini-program and the console's scripts call."""

import pytest

from tests.factories import png_upload
from yachi.messaging.chat import services
from yachi.messaging.chat.models import ChatMessage


@pytest.fixture
def opened(api, world):
    api.as_user(world.patient_parent)
    response = api.post("/conversations", {"clinic_id": str(world.clinic_a.public_id)})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_patient_opens_writes_and_pages_through_history(api, world, opened):
    assert opened["clinic"]["name"] == "静安店" and opened["status"] == "open"
    again = api.post("/conversations", {"clinic_id": str(world.clinic_a.public_id)})
    assert again.status_code == 200 and again.json()["id"] == opened["id"]
    path = f"/conversations/{opened['id']}/messages"
    for number in range(1, 5):
        response = api.post(path, {"text": f"问题{number}"})
        assert response.status_code == 201, response.content
        assert response.json()["seq"] == number
    page = api.get(path, {"limit": 3}).json()
    assert [m["seq"] for m in page["messages"]] == [4, 3, 2]
    assert page["next_before"] == 2
    older = api.get(path, {"limit": 3, "before": page["next_before"]}).json()
    assert [m["seq"] for m in older["messages"]] == [1] and older["next_before"] is None
    [listed] = api.get("/conversations").json()
    assert listed["id"] == opened["id"] and listed["last_seq"] == 4 and listed["unread"] == 0


def test_bad_input_gets_a_clear_error(api, world, opened):
    path = f"/conversations/{opened['id']}/messages"
    for body, status in (
        ({"text": ""}, 422),
        ({"text": "x" * 2001}, 422),
        ({}, 422),
        ({"appointment_id": "00000000-0000-4000-8000-000000000000"}, 404),
    ):
        response = api.post(path, body)
        assert response.status_code == status, (body, response.content)
        assert set(response.json()) >= {"code", "message"}
    assert api.get(path, {"limit": 0}).status_code == 422
    assert api.get(path, {"before": "x"}).status_code == 422
    assert api.post(f"/conversations/{opened['id']}/read", {"seq": -1}).status_code == 422
    assert not ChatMessage.objects.exists()


def test_staff_see_their_clinics_inbox_answer_and_read_receipts_move(api, world, opened):
    path = f"/conversations/{opened['id']}/messages"
    api.post(path, {"text": "请问明天能洗牙吗"})
    api.as_user(world.clinic_a_front_desk)
    inbox = api.get("/conversations", {"clinic_id": str(world.clinic_a.public_id)}).json()
    assert [c["id"] for c in inbox] == [opened["id"]] and inbox[0]["unread"] == 1
    assert api.get("/conversations").status_code == 422  # staff name the clinic
    refused = api.get("/conversations", {"clinic_id": str(world.clinic_b.public_id)})
    assert refused.status_code == 404
    answer = api.post(path, {"text": "可以的，上午10点有空"})
    assert answer.status_code == 201 and answer.json()["sender"]
    read = api.post(f"/conversations/{opened['id']}/read", {})
    assert read.json()["staff_read_seq"] == 3
    mine = api.get("/conversations", {"clinic_id": str(world.clinic_a.public_id), "view": "mine"})
    assert [c["id"] for c in mine.json()] == [opened["id"]]
    api.as_user(world.patient_parent)
    assert api.get("/conversations").json()[0]["unread"] == 1
    assert api.post(f"/conversations/{opened['id']}/read", {"seq": 3}).json() == {
        "patient_read_seq": 3,
        "staff_read_seq": 3,
    }


def test_pictures_go_up_and_come_back_only_to_those_who_may_read(api, world, opened):
    headers = {"Authorization": f"Bearer {api.token}"}
    response = api.client.post(
        f"/api/v1/conversations/{opened['id']}/images", {"file": png_upload()}, headers=headers
    )
    assert response.status_code == 201, response.content
    image = response.json()["image"]
    picture = api.get(image["api_url"].removeprefix("/api/v1"))
    assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")
    api.as_user(world.clinic_a_front_desk)
    assert api.get(image["api_url"].removeprefix("/api/v1")).status_code == 200
    for stranger in (world.other_patient, world.clinic_b_front_desk):
        api.as_user(stranger)
        assert api.get(image["api_url"].removeprefix("/api/v1")).status_code == 404


def test_the_desk_picks_up_hands_over_and_closes(api, world, opened):
    conversation = f"/conversations/{opened['id']}"
    api.post(f"{conversation}/messages", {"text": "在吗"})
    assert api.post(f"{conversation}/assign", {}).status_code == 403  # a patient
    assert api.post(f"{conversation}/close").status_code == 403
    api.as_user(world.clinic_a_doctor.user)
    assert api.post(f"{conversation}/assign", {}).status_code == 403  # doctors do not
    api.as_user(world.clinic_a_front_desk)
    picked = api.post(f"{conversation}/assign", {})
    assert picked.status_code == 200 and picked.json()["status"] == "assigned"
    wrong = api.post(
        f"{conversation}/assign", {"assignee_id": str(world.clinic_b_doctor.user.public_id)}
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "assignee_not_at_clinic"
    handed = api.post(
        f"{conversation}/assign", {"assignee_id": str(world.clinic_a_doctor.user.public_id)}
    )
    assert handed.json()["assignee"] == "王医生"
    closed = api.post(f"{conversation}/close")
    assert closed.json()["status"] == "closed"
    assert api.post(f"{conversation}/assign", {}).status_code == 409


def test_staff_reading_history_is_audited(api, world, opened):
    from yachi.compliance.models import AuditEntry

    api.as_user(world.clinic_a_front_desk)
    assert api.get(f"/conversations/{opened['id']}/messages").status_code == 200
    assert AuditEntry.objects.filter(
        action="clinical_read", object_type="conversation", object_id=opened["id"]
    ).exists()


def test_a_conversation_is_nobody_elses(api, world, opened):
    services_conversation = opened["id"]
    for stranger in (world.other_patient, world.clinic_b_front_desk, world.clinic_b_doctor.user):
        api.as_user(stranger)
        for method, path in (
            ("get", f"/conversations/{services_conversation}"),
            ("get", f"/conversations/{services_conversation}/messages"),
        ):
            assert getattr(api, method)(path).status_code == 404
        assert (
            api.post(f"/conversations/{services_conversation}/messages", {"text": "x"}).status_code
            == 404
        )
    assert not ChatMessage.objects.exists()
    assert services  # the module under test
