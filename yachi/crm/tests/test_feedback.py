"""Satisfaction after a visit: the patient (or the family's holder) answers once, earns
points once, and a low score opens a complaint case the manager works through."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.apiclient import ApiClient
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.crm.facade import nps, tags_refresh
from yachi.crm.feedback.models import Complaint, Survey
from yachi.crm.tags.models import PatientTag
from yachi.growth.facade import points_balance
from yachi.messaging.models import Notification

from .conftest import visit


def survey_path(appointment):
    return f"/surveys/{appointment.public_id}"


def test_the_family_holder_answers_for_the_childs_visit_and_earns_points_once(seen, settings):
    api = ApiClient().as_user(seen.patient_parent)
    response = api.post(survey_path(seen.child_visit), {"score": 9, "comment": "医生很耐心"})
    assert response.status_code == 201
    assert response.json() == {
        "appointment_id": str(seen.child_visit.public_id),
        "score": 9,
        "points": settings.YACHI_POINTS_FOR_SURVEY,
        "complaint_opened": False,
    }
    assert points_balance(user=seen.patient_parent) == settings.YACHI_POINTS_FOR_SURVEY
    again = api.post(survey_path(seen.child_visit), {"score": 3})
    assert again.status_code == 409 and again.json()["code"] == "already_answered"
    assert points_balance(user=seen.patient_parent) == settings.YACHI_POINTS_FOR_SURVEY
    survey = Survey.objects.get()
    assert survey.score == 9 and survey.comment == "医生很耐心"
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("score", [-1, 11, "十", None, 7.5])
def test_a_score_outside_0_to_10_is_refused_and_nothing_is_kept(seen, score):
    response = (
        ApiClient()
        .as_user(seen.patient_parent)
        .post(survey_path(seen.child_visit), {"score": score})
    )
    assert response.status_code in (400, 422)
    assert "code" in response.json()
    assert not Survey.objects.exists()
    assert points_balance(user=seen.patient_parent) == 0


def test_strangers_staff_and_unfinished_visits_are_refused(seen):
    other = (
        ApiClient().as_user(seen.other_patient).post(survey_path(seen.child_visit), {"score": 8})
    )
    assert other.status_code == 404
    staff = (
        ApiClient()
        .as_user(seen.clinic_a_front_desk)
        .post(survey_path(seen.child_visit), {"score": 8})
    )
    assert staff.status_code == 403
    upcoming = visit(seen, seen.parent, days_ago=-2, status="booked")
    early = ApiClient().as_user(seen.patient_parent).post(survey_path(upcoming), {"score": 8})
    assert early.status_code == 409 and early.json()["code"] == "visit_not_completed"
    assert not Survey.objects.exists()


def test_a_low_score_opens_a_case_the_manager_resolves_and_the_tags_follow(seen, client):
    response = (
        ApiClient()
        .as_user(seen.patient_parent)
        .post(survey_path(seen.child_visit), {"score": 4, "comment": "等了一个小时"})
    )
    assert response.status_code == 201 and response.json()["complaint_opened"] is True
    case = Complaint.objects.get()
    assert case.status == "open" and case.summary == "等了一个小时"

    client.force_login(seen.clinic_a_manager)
    listing = client.get("/console/crm/complaints/")
    assert listing.status_code == 200 and "张小宝" in listing.content.decode()
    page = client.get(f"/console/crm/complaints/{case.public_id}/")
    assert "等了一个小时" in page.content.decode()
    refused = client.post(f"/console/crm/complaints/{case.public_id}/", {"status": "resolved"})
    assert refused.status_code == 422
    client.post(
        f"/console/crm/complaints/{case.public_id}/",
        {"status": "resolved", "note": "已致电道歉，赠送洁牙券"},
    )
    case.refresh_from_db()
    assert case.status == "resolved" and case.resolution_note == "已致电道歉，赠送洁牙券"
    assert AuditEntry.objects.filter(action=AuditAction.COMPLAINT_CHANGED).count() == 1

    tags_refresh()
    codes = set(
        PatientTag.objects.filter(patient=seen.patient_child).values_list(
            "definition__code", flat=True
        )
    )
    assert {"service_sensitive", "complaint_history"} <= codes


def test_the_front_desk_cannot_open_complaints(seen, client):
    client.force_login(seen.clinic_a_front_desk)
    assert client.get("/console/crm/complaints/").status_code == 403


def test_a_completed_visit_invites_to_the_survey_with_a_link(
    seen, django_capture_on_commit_callbacks
):
    from yachi.booking.services import appointment_advance

    appointment = visit(seen, seen.parent, days_ago=0, status="in_treatment", hour=0)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_advance(
            actor=seen.clinic_a_front_desk, appointment=appointment, to_status="completed"
        )
    invitation = Notification.objects.filter(kind="visit_survey", recipient=seen.patient_parent)
    assert invitation.exists()


def test_nps_for_the_dashboards(seen):
    for appointment, score in ((seen.child_visit, 10),):
        ApiClient().as_user(seen.patient_parent).post(survey_path(appointment), {"score": score})
    low = visit(seen, seen.parent, days_ago=1)
    ApiClient().as_user(seen.patient_parent).post(survey_path(low), {"score": 2})
    today = timezone.localdate()
    found = nps(
        clinic_ids=[seen.clinic_a.pk, seen.clinic_b.pk],
        date_from=today - timedelta(days=7),
        date_to=today,
    )
    assert found[seen.clinic_a.pk].answers == 2
    assert found[seen.clinic_a.pk].score == 0.0
    assert found[seen.clinic_b.pk].score is None
    assert (
        nps(clinic_ids=[seen.clinic_a.pk], date_from=date(2020, 1, 1), date_to=date(2020, 2, 1))[
            seen.clinic_a.pk
        ].answers
        == 0
    )


def test_the_survey_page_in_the_app_takes_the_answer_once(seen, client, settings):
    client.force_login(seen.patient_parent)
    path = f"/surveys/{seen.child_visit.public_id}/"
    form = client.get(path)
    assert form.status_code == 200 and "您有多大可能向朋友推荐本诊所" in form.content.decode()
    bad = client.post(path, {"score": "11"})
    assert bad.status_code == 422 and not Survey.objects.exists()
    done = client.post(path, {"score": "10", "comment": "很好"})
    assert done.status_code == 200 and "感谢您的评价" in done.content.decode()
    assert points_balance(user=seen.patient_parent) == settings.YACHI_POINTS_FOR_SURVEY
    client.force_login(seen.other_patient)
    assert client.get(path).status_code == 404


def test_the_familys_download_and_erasure_include_crm(seen):
    from yachi.compliance.facade import personal_data_erase, personal_data_export

    ApiClient().as_user(seen.patient_parent).post(
        survey_path(seen.child_visit), {"score": 3, "comment": "太慢了"}
    )
    tags_refresh()
    import io
    import zipfile

    _name, archive = personal_data_export(user=seen.patient_parent)
    data = zipfile.ZipFile(io.BytesIO(archive)).read("data.json").decode()
    assert "太慢了" in data and "satisfaction_surveys" in data
    personal_data_erase(user=seen.patient_parent)
    assert Survey.objects.get().comment == "" and Complaint.objects.get().summary == ""
    assert Survey.objects.get().score == 3
    assert not PatientTag.objects.filter(
        patient__account=seen.patient_parent.family_account
    ).exists()


def test_the_dashboards_nps_comes_from_the_surveys(seen):
    from yachi.crm.reports.nps import nps_between

    ApiClient().as_user(seen.patient_parent).post(survey_path(seen.child_visit), {"score": 10})
    now = timezone.now()
    figure = nps_between(
        clinic_ids=[seen.clinic_a.pk], start=now - timedelta(days=1), end=now + timedelta(days=1)
    )
    assert figure.promoters == 1 and figure.score == 100
    assert figure.patient_ids == (seen.patient_child.pk,)
