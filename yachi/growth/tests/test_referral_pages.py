"""Referrals through the API and the pages: the invite code at sign-up, /me/referral, the
invite page and its QR code, the console's campaigns and fraud review queue."""

import pytest

from tests.apiclient import ApiClient
from yachi.accounts.models import SmsCode
from yachi.compliance.models import AuditEntry
from yachi.growth.facade import invite_code_for, points_balance
from yachi.growth.fraud.choices import ReviewStatus
from yachi.growth.models import Referral, ReferralCampaign, RiskReview
from yachi.growth.referrals.choices import ReferralStatus
from yachi.growth.tests.referral_helpers import campaign, first_visit, sign_up

pytestmark = pytest.mark.django_db


def _login(client, phone, **extra):
    sent = client.post("/api/v1/auth/sms-code", {"phone": phone}, content_type="application/json")
    assert sent.status_code == 202, sent.content
    return client.post(
        "/api/v1/auth/login",
        {"phone": phone, "code": sent.json()["code"], **extra},
        content_type="application/json",
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone) MicroMessenger miniProgram",
    )


def test_sign_up_with_an_invite_code_through_the_api(client, world, settings):
    settings.YACHI_SMS_ECHO = True
    settings.YACHI_SMS_RESEND_SECONDS = 0
    campaign()
    code = invite_code_for(world.patient_parent)
    answer = _login(
        client,
        "13912345678",
        invite_code=code.lower(),
        device={"install_id": "A1B2", "model": "iPhone15,2", "screen": "390x844@3"},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["invite"]["status"] == "accepted"
    referral = Referral.objects.get(inviter=world.patient_parent)
    assert referral.status == ReferralStatus.PENDING
    assert len(referral.device_hash) == 64 and len(referral.ip_hash) == 64
    # A second login of the same (now existing) number is not a sign-up.
    again = _login(client, "13912345678", invite_code=invite_code_for(world.other_patient))
    assert again.json()["invite"] == {
        "status": "refused",
        "code": "invite_already_invited",
        "message": again.json()["invite"]["message"],
    }
    assert Referral.objects.filter(invitee=referral.invitee).count() == 1
    # Without a code, a login answers as before.
    assert _login(client, "13912345678").json()["invite"] is None


def test_bad_invite_input_is_a_clear_422(client, world, settings):
    settings.YACHI_SMS_ECHO = True
    settings.YACHI_SMS_RESEND_SECONDS = 0
    answer = _login(client, "13912345679", invite_code="X" * 40)
    assert answer.status_code == 422 and answer.json()["code"]
    answer = _login(client, "13912345679", device={"install_id": ["not", "text"]})
    assert answer.status_code == 422
    assert not SmsCode.objects.filter(consumed_at__isnull=False).exists()


def test_me_referral_gives_code_link_and_both_levels(world, django_capture_on_commit_callbacks):
    campaign()
    a = world.patient_parent
    # After commit each referral is counted in Redis too, when there is one.
    with django_capture_on_commit_callbacks(execute=True):
        b, _ = sign_up(inviter=a)
        sign_up(inviter=b)
    api = ApiClient()
    api.as_user(a)
    body = api.get("/me/referral").json()
    assert {"code", "link", "first_level", "second_level"} <= set(body)
    assert body["code"] == invite_code_for(a)
    assert body["link"].endswith(f"/i/{body['code']}/")
    assert (body["first_level"], body["second_level"]) == (1, 1)
    assert "500" in body["rewards"]
    api.as_user(world.clinic_a_front_desk)
    refused = api.get("/me/referral")
    assert refused.status_code == 403 and refused.json()["code"] == "patients_only"


def test_the_invite_page_shows_the_poster_and_counts(
    client, world, django_capture_on_commit_callbacks
):
    campaign()
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(inviter=world.patient_parent)
    client.force_login(world.patient_parent)
    page = client.get("/invite/")
    text = page.content.decode()
    assert page.status_code == 200
    assert invite_code_for(world.patient_parent) in text and "<svg" in text
    assert 'data-testid="first-level">1<' in text
    qr = client.get("/invite/qr.png")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png"
    assert qr.content.startswith(b"\x89PNG")
    assert "/invite/" in client.get("/me/").content.decode()


def test_an_invite_link_opens_the_login_with_its_code(client, world):
    code = invite_code_for(world.patient_parent)
    landing = client.get(f"/i/{code}/")
    assert landing.status_code == 302 and f"invite_code={code}" in landing["Location"]
    login = client.get(landing["Location"]).content.decode()
    assert f'value="{code}"' in login
    client.force_login(world.other_patient)
    assert client.get(f"/i/{code}/")["Location"] == "/invite/"
    assert client.get("/invite/").status_code == 200


def test_signing_up_on_the_login_page_with_an_invitation(client, world, settings):
    settings.YACHI_SMS_ECHO = True
    settings.YACHI_SMS_RESEND_SECONDS = 0
    campaign()
    code = invite_code_for(world.patient_parent)
    client.get(f"/i/{code}/")
    step = client.post(
        "/login/", {"step": "phone", "phone": "13912340000", "invite_code": code, "next": "/"}
    )
    text = step.content.decode()
    assert f'name="invite_code" value="{code}"' in text
    echo = SmsCode.objects.latest("pk")
    assert echo
    sms = text.split('data-testid="demo-code">')[1].split("<strong>")[1].split("<")[0]
    done = client.post(
        "/login/",
        {
            "step": "code",
            "phone": "13912340000",
            "code": sms,
            "invite_code": code,
            "install_id": "browser-1",
            "screen": "390x844@3",
            "timezone": "Asia/Shanghai",
            "next": "/",
        },
    )
    assert done.status_code == 302
    assert Referral.objects.get(inviter=world.patient_parent).status == ReferralStatus.PENDING


def test_console_campaigns_create_and_list(client, world):
    client.force_login(world.clinic_a_manager)
    page = client.get("/console/referrals/new/")
    assert page.status_code == 200
    bad = client.post(
        "/console/referrals/new/",
        {
            "name": "春季老带新",
            "starts_at": "2026-12-01 00:00",
            "level1_kind": "points",
            "level2_kind": "none",
        },
    )
    assert bad.status_code == 422 and not ReferralCampaign.objects.exists()
    saved = client.post(
        "/console/referrals/new/",
        {
            "name": "春季老带新",
            "starts_at": "2026-12-01 00:00",
            "active": "on",
            "level1_kind": "points",
            "level1_points": "800",
            "level2_kind": "points",
            "level2_points": "300",
        },
    )
    assert saved.status_code == 302
    campaign_row = ReferralCampaign.objects.get()
    assert (campaign_row.level1_points, campaign_row.level2_points) == (800, 300)
    assert AuditEntry.objects.filter(action="referral_campaign_changed").count() == 1
    listing = client.get("/console/referrals/").content.decode()
    assert "春季老带新" in listing and "800" in listing
    client.force_login(world.clinic_a_front_desk)
    assert client.get("/console/referrals/").status_code == 403


def test_the_review_queue_shows_reasons_and_decides_in_place(client, world):
    campaign()
    farmer, _ = sign_up()
    farm = [sign_up(inviter=farmer, device="farm-phone")[0] for _ in range(5)]
    for account in farm:
        first_visit(account)
    client.force_login(world.clinic_a_manager)
    page = client.get("/console/fraud/").content.decode()
    assert "同一设备" in page or "same device" in page
    review = RiskReview.objects.filter(status=ReviewStatus.HELD).first()
    url = f"/console/fraud/{review.public_id}/decide/"
    approved = client.post(url, {"decision": "approve"}, HTTP_HX_REQUEST="true")
    assert (
        approved.status_code == 200
        and f'id="review-{review.public_id}"' in approved.content.decode()
    )
    assert points_balance(user=farmer) == 500
    again = client.post(url, {"decision": "approve"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and 'role="alert"' in again.content.decode()
    assert points_balance(user=farmer) == 500
    client.force_login(world.clinic_a_front_desk)
    other = RiskReview.objects.filter(status=ReviewStatus.HELD).first()
    refused = client.post(f"/console/fraud/{other.public_id}/decide/", {"decision": "approve"})
    assert refused.status_code == 403
    assert RiskReview.objects.get(pk=other.pk).status == ReviewStatus.HELD
