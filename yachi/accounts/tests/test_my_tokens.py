"""An owner sees where they are logged in with the app and logs one device out; tokens
expire after their lifetime."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import UserFactory
from yachi.accounts.models import ApiToken
from yachi.accounts.services import token_issue, token_user
from yachi.accounts.tests.test_login_api import last_code

pytestmark = pytest.mark.django_db

IPHONE_WECHAT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "MicroMessenger/8.0.44 miniProgram"
)


def test_the_owner_lists_their_devices_without_secrets(api, world):
    patient = world.patient_parent
    phone = token_issue(user=patient, label="sms-login", device="iPhone/mini-program")
    token_issue(user=UserFactory(), label="sms-login")  # someone else's
    api.token = phone
    response = api.get("/me/tokens", headers={"Accept-Language": "zh-hans"})
    assert response.status_code == 200
    [listed] = response.json()
    assert listed["device"] == "iPhone · 微信小程序（短信验证码登录）"
    assert listed["current"] is True
    assert set(listed) == {"id", "device", "created_at", "last_used_at", "expires_at", "current"}
    assert phone not in response.content.decode()
    assert ApiToken.objects.get(public_id=listed["id"]).digest not in response.content.decode()


def test_a_login_remembers_the_device_it_came_from(api):
    api.post("/auth/sms-code", {"phone": "13912345678"})
    response = api.post(
        "/auth/login",
        {"phone": "13912345678", "code": last_code("13912345678")},
        headers={"User-Agent": IPHONE_WECHAT},
    )
    assert response.status_code == 200
    assert ApiToken.objects.filter(device="iPhone/mini-program").count() == 1


def test_the_owner_logs_out_a_lost_phone(api, world):
    patient = world.patient_parent
    lost = token_issue(user=patient, label="sms-login", device="Android")
    api.as_user(patient)
    lost_id = ApiToken.objects.get(device="Android").public_id
    assert api.delete(f"/me/tokens/{lost_id}").status_code == 204
    assert token_user(lost) is None
    assert api.get("/me").status_code == 200  # the device in hand stays logged in
    assert api.delete(f"/me/tokens/{lost_id}").status_code == 404


def test_no_one_logs_out_another_accounts_device(api, world):
    someone = UserFactory()
    theirs = token_issue(user=someone, label="sms-login")
    their_id = ApiToken.objects.get(user=someone).public_id
    api.as_user(world.patient_parent)
    response = api.delete(f"/me/tokens/{their_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "token_not_found"
    assert token_user(theirs) is not None
    assert api.delete("/me/tokens/not-a-uuid").status_code == 422


def test_a_token_expires_after_the_configured_lifetime(world, settings):
    settings.YACHI_TOKEN_TTL_DAYS = 7
    raw = token_issue(user=world.patient_parent, label="sms-login")
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=-1)):
        assert token_user(raw) is not None
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        assert token_user(raw) is None


def test_the_devices_page_lists_and_logs_out(client, world):
    patient = world.patient_parent
    raw = token_issue(user=patient, label="wechat-login", device="Android/wechat")
    client.force_login(patient)
    page = client.get("/me/devices/", headers={"Accept-Language": "zh-hans"})
    assert page.status_code == 200
    assert "Android · 微信（微信登录）" in page.content.decode()
    token_id = ApiToken.objects.get(user=patient).public_id
    response = client.post(f"/me/devices/{token_id}/logout/")
    assert response.status_code == 302
    assert token_user(raw) is None
    assert "Android" not in client.get("/me/devices/").content.decode()


def test_the_devices_page_is_for_patients_only(client, world):
    assert client.get("/me/devices/").status_code == 302
    client.force_login(world.clinic_a_front_desk)
    assert "Android" not in client.get("/me/devices/").content.decode()
