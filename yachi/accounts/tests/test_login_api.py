from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from yachi.accounts.models import ApiToken, SmsCode, User
from yachi.messaging.providers.local import MemoryProvider

pytestmark = pytest.mark.django_db


def last_code(phone: str) -> str:
    message = [m for m in MemoryProvider.outbox if m.phone == phone][-1]
    return "".join(ch for ch in message.text if ch.isdigit())[:6]


def test_health_answers_ok(api):
    response = api.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_new_patient_logs_in_with_an_sms_code(api):
    response = api.post("/auth/sms-code", {"phone": "+86 139-1234-5678"})
    assert response.status_code == 202
    assert response.json()["phone"] == "13912345678"
    assert response.json()["code"] is None  # never echoed outside the demo

    login = api.post("/auth/login", {"phone": "13912345678", "code": last_code("13912345678")})
    assert login.status_code == 200, login.content
    body = login.json()
    assert body["token_type"] == "Bearer"
    assert body["user"]["role"] == "patient"

    me = api.get("/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["phone"] == "13912345678"
    assert me.json()["patient_id"]
    assert me.json()["doctor_id"] is None


def test_the_sms_is_chinese_by_default(api):
    api.post("/auth/sms-code", {"phone": "13912345678"})
    assert "验证码" in MemoryProvider.outbox[-1].text


def test_wrong_code_is_refused_and_counted(api):
    api.post("/auth/sms-code", {"phone": "13912345678"})
    right = last_code("13912345678")
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        response = api.post("/auth/login", {"phone": "13912345678", "code": wrong})
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_code"
    # Five wrong guesses kill the code: even the right one no longer works.
    response = api.post("/auth/login", {"phone": "13912345678", "code": right})
    assert response.status_code == 400
    assert not User.objects.by_phone("13912345678").exists()


def test_a_code_works_only_once(api):
    api.post("/auth/sms-code", {"phone": "13912345678"})
    code = last_code("13912345678")
    assert api.post("/auth/login", {"phone": "13912345678", "code": code}).status_code == 200
    assert api.post("/auth/login", {"phone": "13912345678", "code": code}).status_code == 400


def test_an_expired_code_is_refused(api):
    api.post("/auth/sms-code", {"phone": "13912345678"})
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api.post("/auth/login", {"phone": "13912345678", "code": last_code("13912345678")})
    assert response.status_code == 400


def test_codes_cannot_be_requested_back_to_back(api):
    assert api.post("/auth/sms-code", {"phone": "13912345678"}).status_code == 202
    response = api.post("/auth/sms-code", {"phone": "13912345678"})
    assert response.status_code == 429
    assert response.json()["code"] == "sms_too_soon"
    assert int(response["Retry-After"]) > 0
    assert len(MemoryProvider.outbox) == 1


def test_daily_limit_per_phone(api, settings):
    settings.YACHI_SMS_RESEND_SECONDS = 0
    for _ in range(settings.YACHI_SMS_DAILY_LIMIT):
        assert api.post("/auth/sms-code", {"phone": "13912345678"}).status_code == 202
    response = api.post("/auth/sms-code", {"phone": "13912345678"})
    assert response.status_code == 429
    assert response.json()["code"] == "sms_daily_limit"


@pytest.mark.parametrize("phone", ["", "12345", "23800000001", "1380000000a", "138000000011"])
def test_malformed_phone_is_a_clear_error(api, phone):
    response = api.post("/auth/sms-code", {"phone": phone})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_phone"
    assert not SmsCode.objects.exists()


def test_staff_numbers_get_the_same_answer_but_no_code(api, world):
    phone = world.clinic_a_front_desk.phone
    response = api.post("/auth/sms-code", {"phone": phone})
    assert response.status_code == 202
    assert MemoryProvider.outbox == []
    login = api.post("/auth/login", {"phone": phone, "code": "123456"})
    assert login.status_code == 400


def test_logout_revokes_the_token(api, world):
    api.as_user(world.patient_parent)
    assert api.get("/me").status_code == 200
    assert api.post("/auth/logout").status_code == 204
    response = api.get("/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nope", "Basic abc", "Bearer yc_forged"])
def test_missing_or_bad_tokens_are_refused_in_json(api, header):
    response = api.get("/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message"}


def test_expired_token_is_refused(api, world):
    api.as_user(world.patient_parent)
    assert api.get("/me").status_code == 200  # known to the process (and to Redis) now
    expiry = ApiToken.objects.get(user=world.patient_parent).expires_at
    with time_machine.travel(expiry + timedelta(seconds=1)):
        assert api.get("/me").status_code == 401


def test_doctor_profile_names_the_doctor(api, world):
    response = api.as_user(world.clinic_a_doctor.user).get("/me")
    body = response.json()
    assert body["role"] == "doctor"
    assert body["doctor_id"] == str(world.clinic_a_doctor.public_id)
    assert body["clinic_ids"] == [str(world.clinic_a.public_id)]


def test_errors_speak_english_when_asked(api):
    response = api.post("/auth/sms-code", {"phone": "1"}, headers={"Accept-Language": "en"})
    assert response.json()["message"] == "Enter an 11-digit mainland mobile number."
    response = api.post("/auth/sms-code", {"phone": "1"})
    assert response.json()["message"] == "请输入 11 位中国大陆手机号码。"


def test_one_address_cannot_request_codes_for_many_numbers(api, settings):
    settings.YACHI_SMS_IP_HOURLY_LIMIT = 3
    for n in range(3):
        response = api.client.post(
            "/api/v1/auth/sms-code",
            {"phone": f"1391234000{n}"},
            content_type="application/json",
            REMOTE_ADDR="10.2.2.2",
        )
        assert response.status_code == 202
    response = api.client.post(
        "/api/v1/auth/sms-code",
        {"phone": "13912340009"},
        content_type="application/json",
        REMOTE_ADDR="10.2.2.2",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "address_rate_limited"


def test_guessing_codes_across_numbers_from_one_address_is_stopped(api, settings):
    settings.YACHI_LOGIN_IP_HOURLY_FAILURES = 4
    for n in range(4):
        api.client.post(
            "/api/v1/auth/login",
            {"phone": f"1391234000{n}", "code": "123456"},
            content_type="application/json",
            REMOTE_ADDR="10.3.3.3",
        )
    response = api.client.post(
        "/api/v1/auth/login",
        {"phone": "13912340005", "code": "123456"},
        content_type="application/json",
        REMOTE_ADDR="10.3.3.3",
    )
    assert response.status_code == 429
