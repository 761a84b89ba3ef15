"""Caries marks end to end: a bitewing arrives and is marked in a job; doctors confirm,
reject and add; patients see what was confirmed; the heat map and the dashboard follow."""

import io

import pytest
from django.test import override_settings

from tests.apiclient import ApiClient
from yachi.clinical.selectors import chart_of
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.imaging.caries.choices import NOTICE
from yachi.imaging.caries.models import CariesAnalysis, CariesDecision, CariesMark
from yachi.imaging.caries.selectors import agreement
from yachi.imaging.dicom.synthetic import Picture, part10
from yachi.imaging.services import instance_receive
from yachi.imaging.tests.conftest import bitewing

pytestmark = pytest.mark.django_db


def _api(user):
    return ApiClient().as_user(user)


def test_a_received_bitewing_is_marked_in_a_job_once_per_model(
    marked, django_capture_on_commit_callbacks
):
    (analysis,) = CariesAnalysis.objects.filter(image=marked.image)
    assert analysis.status == "done" and analysis.model_version == "caries-synthetic-v1"
    assert len(marked.marks) == len(marked.lesions) == 2
    assert [m.tooth for m in marked.marks] == ["16", "15"]
    for mark in marked.marks:
        assert mark.status == "suggested" and mark.source == "ai"
        assert mark.model_version == "caries-synthetic-v1" and 0 < mark.probability <= 1
    # The unit sends the same instance again: nothing is marked twice.
    with django_capture_on_commit_callbacks(execute=True):
        instance_receive(
            clinic=marked.clinic_a, data=part10(bitewing(marked.clinic_a, marked.parent))
        )
    assert CariesMark.objects.filter(image=marked.image).count() == 2


def test_a_panoramic_is_not_given_to_the_bitewing_model(seen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        instance_receive(
            clinic=seen.clinic_a,
            data=part10(Picture(modality="PX", patient_id=seen.parent.chart_number)),
        )
    assert not CariesAnalysis.objects.exists()


def test_a_model_file_of_the_clinics_own_is_used_and_its_version_recorded(
    seen, tmp_path, django_capture_on_commit_callbacks
):
    from yachi.imaging.caries.detector.train import train

    own = tmp_path / "own.onnx"
    train(
        own,
        pictures=12,
        validation=4,
        hidden=(8,),
        iterations=20,
        version="clinic-own-v2",
        stream=io.StringIO(),
    )
    with (
        override_settings(YACHI_CARIES_MODEL=str(own)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        image = instance_receive(
            clinic=seen.clinic_a, data=part10(bitewing(seen.clinic_a, seen.parent))
        ).image
    assert CariesAnalysis.objects.get(image=image).model_version == "clinic-own-v2"
    assert set(CariesMark.objects.filter(image=image).values_list("model_version", flat=True)) <= {
        "clinic-own-v2"
    }


def test_staff_see_every_mark_with_the_notice_and_the_read_is_audited(marked):
    answer = _api(marked.clinic_a_front_desk).get(f"/studies/{marked.study.public_id}/findings")
    assert answer.status_code == 200
    body = answer.json()
    assert body["notice"] == NOTICE == "演示模型，非临床诊断用"
    assert [m["status"] for m in body["marks"]] == ["suggested", "suggested"]
    first = body["marks"][0]
    assert set(first) >= {
        "id",
        "image_id",
        "status",
        "source",
        "tooth",
        "probability",
        "model_version",
        "box",
        "reviewed_at",
    }
    assert first["image_id"] == str(marked.image.public_id)
    assert AuditEntry.objects.filter(
        action=AuditAction.CARIES_MARKS_READ, object_id=str(marked.study.public_id)
    ).exists()


def test_a_doctor_confirms_and_rejects_and_the_patient_sees_only_the_confirmed(marked):
    doctor = _api(marked.clinic_a_doctor.user)
    one, two = marked.marks
    confirmed = doctor.post(f"/caries-marks/{one.public_id}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert doctor.post(f"/caries-marks/{two.public_id}/reject").json()["status"] == "rejected"
    assert CariesDecision.objects.filter(mark__in=[one, two]).count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.CARIES_MARK_REVIEWED).count() == 2
    seen_by_patient = _api(marked.patient_parent).get(f"/studies/{marked.study.public_id}/findings")
    assert seen_by_patient.status_code == 200
    body = seen_by_patient.json()
    assert body["notice"] == NOTICE
    assert [(m["id"], m["status"]) for m in body["marks"]] == [(str(one.public_id), "confirmed")]


def test_a_confirmed_mark_colours_its_tooth_on_the_heat_map(marked):
    before = chart_of(marked.parent).tooth("16").risk
    assert "mark" not in before.reasons
    _api(marked.clinic_a_doctor.user).post(f"/caries-marks/{marked.marks[0].public_id}/confirm")
    after = chart_of(marked.parent).tooth("16").risk
    assert "mark" in after.reasons and after.score > before.score and after.level == "high"
    assert "mark" not in chart_of(marked.parent).tooth("15").risk.reasons  # still a suggestion


def test_deciding_twice_is_a_conflict_and_changes_nothing(marked):
    doctor = _api(marked.clinic_a_doctor.user)
    mark = marked.marks[0]
    doctor.post(f"/caries-marks/{mark.public_id}/confirm")
    again = doctor.post(f"/caries-marks/{mark.public_id}/confirm")
    assert again.status_code == 409 and again.json()["code"] == "mark_already_decided"
    assert CariesDecision.objects.filter(mark=mark).count() == 1
    # A changed mind is a new decision, kept beside the first.
    assert doctor.post(f"/caries-marks/{mark.public_id}/reject").json()["status"] == "rejected"
    assert list(CariesDecision.objects.filter(mark=mark).values_list("status", flat=True)) == [
        "confirmed",
        "rejected",
    ]


def test_only_the_clinics_doctors_review_and_strangers_find_nothing(marked):
    mark = marked.marks[0]
    desk = _api(marked.clinic_a_front_desk).post(f"/caries-marks/{mark.public_id}/confirm")
    assert desk.status_code == 403 and desk.json()["code"] == "treat_forbidden"
    for stranger in (marked.clinic_b_doctor.user, marked.patient_parent, marked.other_patient):
        answer = _api(stranger).post(f"/caries-marks/{mark.public_id}/confirm")
        assert answer.status_code == 404 and answer.json()["code"] == "mark_not_found"
    for stranger in (marked.clinic_b_front_desk, marked.other_patient):
        assert _api(stranger).get(f"/studies/{marked.study.public_id}/findings").status_code == 404
    assert ApiClient().get(f"/studies/{marked.study.public_id}/findings").status_code == 401
    mark.refresh_from_db()
    assert mark.status == "suggested" and not CariesDecision.objects.exists()


def test_a_doctor_adds_a_missed_lesion_and_bad_boxes_are_refused(marked):
    doctor = _api(marked.clinic_a_doctor.user)
    url = f"/images/{marked.image.public_id}/caries-marks"
    added = doctor.post(url, {"box": [250, 40, 290, 80], "tooth": "14"})
    assert added.status_code == 201
    body = added.json()
    assert (body["source"], body["status"], body["tooth"], body["probability"]) == (
        "doctor",
        "confirmed",
        "14",
        None,
    )
    assert body["model_version"] == "caries-synthetic-v1" and body["box"] == [250, 40, 290, 80]
    assert AuditEntry.objects.filter(action=AuditAction.CARIES_MARK_ADDED).count() == 1
    for box, tooth, code in (
        ([300, 40, 400, 80], "14", "box_outside_image"),  # past the image's 320 columns
        ([50, 50, 40, 60], "14", "box_outside_image"),  # empty
        ([10, 10, 20, 20], "19", "tooth_invalid"),
    ):
        refused = doctor.post(url, {"box": box, "tooth": tooth})
        assert refused.status_code == 422 and refused.json()["code"] == code
    assert CariesMark.objects.filter(source="doctor").count() == 1
    assert _api(marked.clinic_a_front_desk).post(url, {"box": [1, 1, 9, 9]}).status_code == 403


def test_the_dashboard_counts_agreement_per_model_version(marked):
    doctor = _api(marked.clinic_a_doctor.user)
    one, two = marked.marks
    doctor.post(f"/caries-marks/{one.public_id}/confirm")
    doctor.post(f"/caries-marks/{two.public_id}/reject")
    doctor.post(
        f"/images/{marked.image.public_id}/caries-marks", {"box": [250, 40, 290, 80], "tooth": "14"}
    )
    figures = agreement(clinic=marked.clinic_a)
    (version,) = figures["versions"]
    assert version["version"] == "caries-synthetic-v1"
    total = version["total"]
    assert (total["reviewed"], total["confirmed"], total["added"]) == (2, 1, 1)
    assert total["precision"] == 0.5 and total["recall"] == 0.5
    assert figures["pending"] == 0
    assert agreement(clinic=marked.clinic_b)["versions"] == []
