"""Case contests for the mini-program: contests without entries, entering with the
separate consent, one's own entries and files only, withdrawing deletes the files."""

import pytest
from django.core.files.storage import default_storage

from tests import factories as f
from yachi.growth.cases.models import CaseEntry
from yachi.growth.tests.test_cases import contest, photo, video

pytestmark = pytest.mark.django_db


def _enter(api, contest_id, **fields):
    values = {"consent": "true", "story": "谢谢医生", "before": [photo()], "after": [video()]}
    values.update(fields)
    return api.client.post(
        f"/api/v1/case-contests/{contest_id}/entries",
        {k: v for k, v in values.items() if v is not None},
        headers=api._headers(None),
    )


def test_a_patient_sees_contests_and_enters_one_with_consent(api, world):
    running = contest(world)
    api.as_user(world.patient_parent)
    listed = api.get("/case-contests").json()
    assert [c["title"] for c in listed] == ["隐形矫正病例征集"]
    assert "entries" not in listed[0] and listed[0]["consent_text"]
    one = api.get(f"/case-contests/{running.public_id}").json()
    assert one["prize_pool_fen"] == 1_000_000

    entered = _enter(api, running.public_id)
    assert entered.status_code == 201, entered.content
    body = entered.json()
    assert body["status"] == "submitted" and body["story"] == "谢谢医生"
    assert sorted(x["stage"] for x in body["files"]) == ["after", "before"]
    picture = api.get(body["files"][0]["url"].removeprefix("/api/v1"))
    assert picture.status_code == 200 and picture["Cache-Control"] == "private, no-store"

    again = _enter(api, running.public_id)
    assert again.status_code == 409 and again.json()["code"] == "already_entered"
    mine = api.get("/me/case-entries").json()
    assert [e["id"] for e in mine] == [body["id"]]


def test_an_entry_without_consent_or_files_is_refused_and_nothing_is_kept(api, world):
    running = contest(world)
    api.as_user(world.patient_parent)
    no_consent = _enter(api, running.public_id, consent="false")
    assert no_consent.status_code == 422 and no_consent.json()["code"] == "consent_required"
    no_after = _enter(api, running.public_id, after=None)
    assert no_after.status_code == 422 and no_after.json()["code"] == "files_required"
    not_a_picture = _enter(api, running.public_id, before=[video().__class__("x.jpg", b"oops")])
    assert not_a_picture.status_code in (400, 422) and "code" in not_a_picture.json()
    missing = _enter(api, "not-a-contest")
    assert missing.status_code == 404 and missing.json()["code"]
    assert not CaseEntry.objects.exists()


def test_withdrawing_the_consent_deletes_the_files(api, world, django_capture_on_commit_callbacks):
    running = contest(world)
    api.as_user(world.patient_parent)
    entry = _enter(api, running.public_id).json()
    stored = list(CaseEntry.objects.get().files.values_list("file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = api.post(f"/case-entries/{entry['id']}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn" and withdrawn.json()["files"] == []
    assert not any(default_storage.exists(name) for name in stored)
    twice = api.post(f"/case-entries/{entry['id']}/withdraw")
    assert twice.status_code == 409 and twice.json()["code"] == "already_withdrawn"


def test_entries_and_files_are_the_entrants_alone(api, world):
    running = contest(world)
    api.as_user(world.patient_parent)
    entry = _enter(api, running.public_id).json()
    file_url = entry["files"][0]["url"].removeprefix("/api/v1")
    api.as_user(world.other_patient)
    assert api.get("/me/case-entries").json() == []
    assert api.get(file_url).status_code == 404
    assert api.post(f"/case-entries/{entry['id']}/withdraw").status_code == 404
    api.as_user(f.staff_member(world.clinic_a))
    assert api.get("/case-contests").status_code == 403
    assert api.get(file_url).status_code == 403
    api.token = None
    assert api.get("/case-contests").status_code == 401
