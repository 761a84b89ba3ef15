"""The follow-up calls (回访) in the API: the clinic's staff list them, page through
them, open one to call, and record how it went, once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.apiclient import ApiClient
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.crm.playbook.models import FollowUpTask
from yachi.crm.tests.history import follow_up_task

PATH = "/clinic/follow-up-tasks"


@pytest.fixture
def tasks(world):
    return [
        follow_up_task(world.clinic_a, world.other, due_in_days=0),
        follow_up_task(world.clinic_a, world.parent, due_in_days=1),
        follow_up_task(world.clinic_a, world.patient_child, due_in_days=5),
    ]


def test_the_clinics_staff_list_the_calls_to_make_with_masked_numbers(world, tasks):
    api = ApiClient().as_user(world.clinic_a_front_desk)
    response = api.get(PATH, {"clinic_id": str(world.clinic_a.public_id)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3 and body["next_offset"] is None
    first = body["items"][0]
    assert first["id"] == str(tasks[0].public_id)
    assert first["treatment"] == "拔智齿" and first["status"] == "open"
    assert first["patient"]["phone"] == "138****0002"
    assert "13800000002" not in response.content.decode()


def test_the_list_pages_and_filters_by_due_day(world, tasks):
    api = ApiClient().as_user(world.clinic_a_front_desk)
    clinic = str(world.clinic_a.public_id)
    page = api.get(PATH, {"clinic_id": clinic, "limit": 2}).json()
    assert [i["id"] for i in page["items"]] == [str(t.public_id) for t in tasks[:2]]
    assert (page["count"], page["next_offset"]) == (3, 2)
    rest = api.get(PATH, {"clinic_id": clinic, "limit": 2, "offset": 2}).json()
    assert [i["id"] for i in rest["items"]] == [str(tasks[2].public_id)]
    assert rest["next_offset"] is None
    soon = (timezone.localdate() + timedelta(days=1)).isoformat()
    due = api.get(PATH, {"clinic_id": clinic, "due_to": soon}).json()
    assert due["count"] == 2
    later = api.get(PATH, {"clinic_id": clinic, "due_from": soon, "due_to": soon}).json()
    assert [i["id"] for i in later["items"]] == [str(tasks[1].public_id)]
    backwards = api.get(PATH, {"clinic_id": clinic, "due_from": soon, "due_to": "2020-01-01"})
    assert backwards.status_code == 422 and backwards.json()["code"] == "date_range"
    assert api.get(PATH, {"clinic_id": clinic, "status": "lost"}).status_code == 422
    assert api.get(PATH, {"clinic_id": clinic, "limit": 0}).status_code == 422


def test_another_clinics_staff_and_patients_are_refused(world, tasks):
    clinic = str(world.clinic_a.public_id)
    other = ApiClient().as_user(world.clinic_b_front_desk)
    assert other.get(PATH, {"clinic_id": clinic}).status_code == 404
    assert other.get(f"{PATH}/{tasks[0].public_id}").status_code == 404
    refused = other.post(f"{PATH}/{tasks[0].public_id}/outcome", {"outcome": "well"})
    assert refused.status_code == 404
    patient = ApiClient().as_user(world.patient_parent)
    assert patient.get(PATH, {"clinic_id": clinic}).json()["code"] == "staff_only"
    assert ApiClient().get(PATH, {"clinic_id": clinic}).status_code == 401
    assert not FollowUpTask.objects.filter(status="done").exists()


def test_opening_a_call_shows_the_whole_number_and_script_and_is_audited(world, tasks):
    api = ApiClient().as_user(world.clinic_a_front_desk)
    response = api.get(f"{PATH}/{tasks[0].public_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["patient"]["phone"] == "13800000002"
    assert body["script"] == tasks[0].rule.script and body["note"] == ""
    assert AuditEntry.objects.filter(
        action=AuditAction.PATIENT_PAGE_READ, object_id=str(world.other.public_id)
    ).exists()


def test_recording_the_outcome_once_moves_the_call_to_done(world, tasks):
    api = ApiClient().as_user(world.clinic_a_front_desk)
    url = f"{PATH}/{tasks[0].public_id}/outcome"
    assert api.post(url, {"outcome": "maybe"}).json()["code"] == "outcome"
    done = api.post(url, {"outcome": "review", "note": "仍有肿胀，约复查"})
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["outcome"]) == ("done", "review")
    again = api.post(url, {"outcome": "well"})
    assert again.status_code == 409 and again.json()["code"] == "already_recorded"
    tasks[0].refresh_from_db()
    assert (tasks[0].outcome, tasks[0].note) == ("review", "仍有肿胀，约复查")
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.FOLLOW_UP_RECORDED, object_id=str(tasks[0].public_id)
        ).count()
        == 1
    )
    clinic = str(world.clinic_a.public_id)
    called = api.get(PATH, {"clinic_id": clinic, "status": "done"}).json()
    assert [i["id"] for i in called["items"]] == [str(tasks[0].public_id)]
    assert called["items"][0]["done_by"] == world.clinic_a_front_desk.name
    assert api.get(PATH, {"clinic_id": clinic}).json()["count"] == 2
