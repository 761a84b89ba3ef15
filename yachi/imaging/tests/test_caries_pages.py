"""The review screen, the agreement dashboard and the patient's confirmed marks."""

import pytest
from django.urls import reverse

from yachi.compliance.models import AuditAction, AuditEntry
from yachi.imaging.caries.choices import NOTICE
from yachi.imaging.caries.models import CariesMark

pytestmark = pytest.mark.django_db


def test_the_doctor_reviews_marks_on_the_xray_and_adds_a_missed_one(client, marked):
    client.force_login(marked.clinic_a_doctor.user)
    url = reverse("console:caries_review", args=[marked.image.public_id])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert NOTICE in text
    for mark in marked.marks:
        assert f'data-caries-mark="{mark.public_id}"' in text
    assert text.count('name="decision" value="confirm"') == 2
    one, two = marked.marks
    decide = reverse("console:caries_decide", args=[one.public_id])
    assert client.post(decide, {"decision": "confirm"}).status_code == 302
    client.post(reverse("console:caries_decide", args=[two.public_id]), {"decision": "reject"})
    added = client.post(
        reverse("console:caries_add", args=[marked.image.public_id]),
        {"x0": "250", "y0": "40", "x1": "290", "y1": "80", "tooth": "14"},
    )
    assert added.status_code == 302
    statuses = sorted(CariesMark.objects.values_list("source", "status"))
    assert statuses == [("ai", "confirmed"), ("ai", "rejected"), ("doctor", "confirmed")]
    assert AuditEntry.objects.filter(action=AuditAction.CARIES_MARKS_READ).exists()
    picture = client.get(reverse("console:xray_picture", args=[marked.image.public_id]))
    assert picture["Content-Type"] == "image/png" and picture.content[:4] == b"\x89PNG"
    assert "no-store" in picture["Cache-Control"]
    dashboard = client.get(reverse("console:caries_agreement", args=[marked.clinic_a.public_id]))
    body = dashboard.content.decode()
    assert dashboard.status_code == 200 and "caries-synthetic-v1" in body and "50%" in body


def test_a_box_outside_the_image_is_refused_with_a_message_and_nothing_kept(client, marked):
    client.force_login(marked.clinic_a_doctor.user)
    answer = client.post(
        reverse("console:caries_add", args=[marked.image.public_id]),
        {"x0": "300", "y0": "0", "x1": "900", "y1": "10", "tooth": "14"},
        follow=True,
    )
    assert answer.status_code == 200 and "320 × 240" in answer.content.decode()
    assert not CariesMark.objects.filter(source="doctor").exists()


def test_the_front_desk_sees_the_marks_but_cannot_decide(client, marked):
    client.force_login(marked.clinic_a_front_desk)
    page = client.get(reverse("console:caries_review", args=[marked.image.public_id]))
    assert page.status_code == 200 and 'value="confirm"' not in page.content.decode()
    refused = client.post(
        reverse("console:caries_decide", args=[marked.marks[0].public_id]), {"decision": "confirm"}
    )
    assert refused.status_code == 403
    assert not CariesMark.objects.exclude(status="suggested").exists()


def test_the_patient_app_shows_only_confirmed_marks_with_the_notice(client, marked):
    page_url = reverse("web:xrays", args=[marked.parent.public_id])
    client.force_login(marked.patient_parent)
    before = client.get(page_url).content.decode()
    assert "data-caries-mark" not in before  # suggestions never reach the patient
    one = marked.marks[0]
    one.status, one.reviewed_by = "confirmed", marked.clinic_a_doctor.user
    from django.utils import timezone

    one.reviewed_at = timezone.now()
    one.save()
    after = client.get(page_url).content.decode()
    assert f'data-caries-mark="{one.public_id}"' in after
    assert f'data-caries-mark="{marked.marks[1].public_id}"' not in after
    assert NOTICE in after
    picture = client.get(reverse("web:xray_picture", args=[marked.image.public_id]))
    assert picture.status_code == 200 and picture.content[:4] == b"\x89PNG"
