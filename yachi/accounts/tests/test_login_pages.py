import re

import pytest

from tests.factories import STAFF_PASSWORD
from yachi.messaging.providers.local import MemoryProvider

pytestmark = pytest.mark.django_db(transaction=True)


def test_patient_logs_in_with_phone_and_code(client, world):
    page = client.get("/login/")
    assert "获取验证码" in page.content.decode()
    page = client.post("/login/", {"step": "phone", "phone": world.patient_parent.phone})
    assert "验证码已发送" in page.content.decode() or "已发送至" in page.content.decode()
    code = re.search(r"\d{6}", MemoryProvider.outbox[-1].text).group()
    response = client.post(
        "/login/",
        {
            "step": "code",
            "phone": world.patient_parent.phone,
            "code": code,
            "next": "/appointments/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/appointments/"
    assert client.get("/appointments/").status_code == 200


def test_wrong_code_shows_a_friendly_error(client, world):
    client.post("/login/", {"step": "phone", "phone": world.patient_parent.phone})
    page = client.post(
        "/login/", {"step": "code", "phone": world.patient_parent.phone, "code": "000001"}
    )
    assert page.status_code == 400
    assert "验证码错误或已过期" in page.content.decode()


def test_bad_phone_shows_a_friendly_error(client, db):
    page = client.post("/login/", {"step": "phone", "phone": "123"})
    assert page.status_code == 422
    assert "请输入 11 位中国大陆手机号码" in page.content.decode()
    assert not MemoryProvider.outbox


def test_login_refuses_to_redirect_off_site(client, world):
    client.post("/login/", {"step": "phone", "phone": world.patient_parent.phone})
    code = re.search(r"\d{6}", MemoryProvider.outbox[-1].text).group()
    response = client.post(
        "/login/",
        {
            "step": "code",
            "phone": world.patient_parent.phone,
            "code": code,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"


def test_staff_log_in_to_the_console_with_a_password(client, world):
    response = client.post(
        "/console/login/", {"phone": world.clinic_a_front_desk.phone, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 302  # to the clinic's calendar


def test_wrong_staff_password_is_refused(client, world):
    page = client.post(
        "/console/login/", {"phone": world.clinic_a_front_desk.phone, "password": "nope"}
    )
    assert page.status_code == 401
    assert "手机号或密码错误" in page.content.decode()


def test_patients_cannot_use_the_console_login(client, world):
    page = client.post("/console/login/", {"phone": world.patient_parent.phone, "password": "x"})
    assert page.status_code == 401


def test_pages_are_english_after_switching(client, db):
    assert "立即预约" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Book an appointment" in client.get("/").content.decode()


def test_pages_stay_chinese_for_an_english_browser(client, db):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "立即预约" in page.content.decode()
