"""Choosing the SMS provider, sending through it, and refusing settings that cannot
work before the first message."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import envjson
from yachi.messaging.providers import check_settings, get_sms_provider
from yachi.messaging.providers.aliyun import AliyunSmsProvider
from yachi.messaging.providers.local import ConsoleProvider, MemoryProvider
from yachi.messaging.providers.tencent import TencentSmsProvider
from yachi.messaging.sms import send_sms

ROOT = Path(__file__).resolve().parents[3]


def test_the_provider_follows_the_setting(settings, aliyun_sms, tencent_sms):
    # Both fixtures configured their provider; the setting alone picks one.
    for name, kind in [
        ("console", ConsoleProvider),
        ("memory", MemoryProvider),
        ("aliyun", AliyunSmsProvider),
        ("tencent", TencentSmsProvider),
    ]:
        settings.YACHI_SMS_PROVIDER = name
        assert isinstance(get_sms_provider(), kind)


def test_send_sms_hands_the_whole_message_to_the_provider():
    result = send_sms(
        phone="13912345678",
        template="login_code",
        params={"code": "123456", "minutes": "5"},
        text="【牙齿】验证码123456",
        out_id="sms-code-1",
    )

    assert result.accepted
    [message] = MemoryProvider.outbox
    assert (message.phone, message.template, message.out_id) == (
        "13912345678",
        "login_code",
        "sms-code-1",
    )
    assert message.params == {"code": "123456", "minutes": "5"}


def test_the_console_provider_writes_the_message_to_the_log(settings, caplog):
    settings.YACHI_SMS_PROVIDER = "console"
    with caplog.at_level(logging.INFO, logger="yachi.sms"):
        result = send_sms(
            phone="13912345678", template="login_code", params={}, text="验证码 654321", out_id="x"
        )

    assert result.accepted
    assert "验证码 654321" in caplog.text
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text


def test_a_refusal_is_logged_without_the_number_or_the_text(aliyun_sms, settings, caplog):
    settings.YACHI_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"
    with caplog.at_level(logging.WARNING, logger="yachi.sms"):
        result = send_sms(
            phone="13912345678",
            template="login_code",
            params={"code": "654321", "minutes": "5"},
            text="验证码 654321",
            out_id="sms-code-9",
        )

    assert not result.accepted
    assert "sms-code-9" in caplog.text and "SignatureDoesNotMatch" in caplog.text
    assert "13912345678" not in caplog.text and "654321" not in caplog.text


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        (
            {"YACHI_SMS_PROVIDER": "aliyun"},
            "needs YACHI_ALIYUN_ACCESS_KEY_ID, YACHI_ALIYUN_ACCESS_KEY_SECRET",
        ),
        (
            {
                "YACHI_SMS_PROVIDER": "tencent",
                "YACHI_TENCENT_SECRET_ID": "AKID",
                "YACHI_TENCENT_SECRET_KEY": "key",
                "YACHI_TENCENT_SMS_APP_ID": "1400006666",
                "YACHI_TENCENT_SMS_SIGN_NAME": "牙齿口腔",
            },
            "YACHI_TENCENT_SMS_TEMPLATES needs a 'login_code' template",
        ),
        ({"YACHI_ALIYUN_SMS_TEMPLATES": {"login_code": ["SMS_1"]}}, "YACHI_ALIYUN_SMS_TEMPLATES"),
        (
            {"YACHI_WECHAT_TEMPLATES": {"reminder": {"id": "x"}}},
            r"YACHI_WECHAT_TEMPLATES\['reminder'\]",
        ),
        (
            {"YACHI_WECHAT_APPID": "wx0123"},
            "YACHI_WECHAT_APPID and YACHI_WECHAT_SECRET go together",
        ),
    ],
)
def test_settings_that_cannot_work_are_refused_naming_the_variable(settings, changes, complaint):
    for name, value in changes.items():
        setattr(settings, name, value)

    with pytest.raises(ImproperlyConfigured, match=complaint):
        check_settings()


def test_a_json_mapping_must_be_valid_json_and_an_object(monkeypatch, tmp_path):
    monkeypatch.setenv("YACHI_TEST_MAPPING", '{"login_code": ')
    with pytest.raises(ImproperlyConfigured, match="YACHI_TEST_MAPPING is not valid JSON"):
        envjson("YACHI_TEST_MAPPING", {})
    monkeypatch.setenv("YACHI_TEST_MAPPING", '["SMS_1"]')
    with pytest.raises(ImproperlyConfigured, match="YACHI_TEST_MAPPING must be a JSON object"):
        envjson("YACHI_TEST_MAPPING", {})
    mapping = tmp_path / "templates.json"
    mapping.write_text('{"login_code": "SMS_1"}')
    monkeypatch.setenv("YACHI_TEST_MAPPING_FILE", str(mapping))
    assert envjson("YACHI_TEST_MAPPING", {}) == {"login_code": "SMS_1"}


@pytest.mark.parametrize(
    ("environment", "complaint"),
    [
        (
            {"YACHI_TENCENT_SMS_TEMPLATES": '{"login_code": {"id": 1800001}}'},
            "YACHI_TENCENT_SMS_TEMPLATES['login_code']['id']",
        ),
        (
            {"YACHI_SMS_PROVIDER": "aliyun", "YACHI_SMS_ECHO": "1"},
            "YACHI_SMS_ECHO is only allowed with the console",
        ),
        (
            {"YACHI_SMS_BACKEND": "yachi.messaging.sms.ConsoleBackend"},
            "replaced by YACHI_SMS_PROVIDER",
        ),
    ],
    ids=["malformed template", "code echo with a real provider", "former variable"],
)
@pytest.mark.long
def test_a_process_with_such_settings_does_not_start(environment, complaint):
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("YACHI_SMS", "YACHI_ALIYUN", "YACHI_TENCENT", "YACHI_WECHAT"))
        and key != "DJANGO_SETTINGS_MODULE"
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert check.returncode != 0
    assert complaint in check.stderr
