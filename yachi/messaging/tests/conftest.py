"""Fake provider servers on free local ports, with the settings pointed at them.

Each fixture starts the fake, configures Yachi as a clinic would for the real service
(credentials, sign name, approved templates) and gives the fake to the test, which
arranges failures and reads what was delivered.
"""

import pytest

from tests.fakes.aliyun_sms import FakeAliyunSms
from tests.fakes.tencent_sms import FakeTencentSms
from tests.fakes.wechat import FakeWeChat

# Long enough for a loaded machine to answer, short enough to keep timeout tests quick.
CLIENT_TIMEOUT_SECONDS = 1.0
LONGER_THAN_THE_CLIENT_WAITS = 5.0

SIGN_NAME = "牙齿口腔"
ALIYUN_KEY_ID = "LTAI5tYachiClinicSms"
ALIYUN_SECRET = "aliyun-secret-0123456789abcdef"
TENCENT_SECRET_ID = "AKIDYachiClinicSms0123456789"
TENCENT_SECRET_KEY = "tencent-secret-0123456789abcdef"
TENCENT_APP_ID = "1400006666"
WECHAT_APPID = "wx0123456789abcdef"
WECHAT_SECRET = "wechat-secret-0123456789abcdef"
REMINDER_TEMPLATE_ID = "Yc8kR3mT_reminder_template_0000000000000"


@pytest.fixture
def aliyun_sms(settings):
    fake = FakeAliyunSms(
        access_keys={ALIYUN_KEY_ID: ALIYUN_SECRET},
        signs={SIGN_NAME},
        templates={
            "SMS_465000001": "您的验证码为${code}，${minutes}分钟内有效，请勿泄露给他人。",
            "SMS_465000002": "${name}您好，您预约的${service}在${time}，请提前10分钟到诊。",
        },
    )
    with fake:
        settings.YACHI_SMS_PROVIDER = "aliyun"
        settings.YACHI_ALIYUN_ACCESS_KEY_ID = ALIYUN_KEY_ID
        settings.YACHI_ALIYUN_ACCESS_KEY_SECRET = ALIYUN_SECRET
        settings.YACHI_ALIYUN_SMS_SIGN_NAME = SIGN_NAME
        settings.YACHI_ALIYUN_SMS_TEMPLATES = {
            "login_code": "SMS_465000001",
            "appointment_reminder": "SMS_465000002",
        }
        settings.YACHI_ALIYUN_SMS_ENDPOINT = fake.host
        settings.YACHI_ALIYUN_SMS_PROTOCOL = "http"
        settings.YACHI_SMS_TIMEOUT_SECONDS = CLIENT_TIMEOUT_SECONDS
        yield fake


@pytest.fixture
def tencent_sms(settings):
    fake = FakeTencentSms(
        secrets={TENCENT_SECRET_ID: TENCENT_SECRET_KEY},
        app_ids={TENCENT_APP_ID},
        signs={SIGN_NAME},
        templates={"1800001": 2, "1800002": 3},
    )
    with fake:
        settings.YACHI_SMS_PROVIDER = "tencent"
        settings.YACHI_TENCENT_SECRET_ID = TENCENT_SECRET_ID
        settings.YACHI_TENCENT_SECRET_KEY = TENCENT_SECRET_KEY
        settings.YACHI_TENCENT_SMS_APP_ID = TENCENT_APP_ID
        settings.YACHI_TENCENT_SMS_SIGN_NAME = SIGN_NAME
        settings.YACHI_TENCENT_SMS_TEMPLATES = {
            "login_code": {"id": "1800001", "params": ["code", "minutes"]},
            "appointment_reminder": {"id": "1800002", "params": ["name", "service", "time"]},
        }
        settings.YACHI_TENCENT_SMS_ENDPOINT = fake.host
        settings.YACHI_TENCENT_SMS_SCHEME = "http"
        settings.YACHI_SMS_TIMEOUT_SECONDS = CLIENT_TIMEOUT_SECONDS
        yield fake


@pytest.fixture
def wechat(settings):
    fake = FakeWeChat(
        appid=WECHAT_APPID,
        secret=WECHAT_SECRET,
        templates={REMINDER_TEMPLATE_ID: {"thing1", "time2", "thing3", "name4"}},
    )
    with fake:
        settings.YACHI_WECHAT_APPID = WECHAT_APPID
        settings.YACHI_WECHAT_SECRET = WECHAT_SECRET
        settings.YACHI_WECHAT_API_BASE = fake.url
        settings.YACHI_WECHAT_TEMPLATES = {
            "appointment_reminder": {
                "id": REMINDER_TEMPLATE_ID,
                "fields": {
                    "thing1": "service",
                    "time2": "time",
                    "thing3": "clinic",
                    "name4": "name",
                },
            }
        }
        settings.YACHI_WECHAT_TIMEOUT_SECONDS = CLIENT_TIMEOUT_SECONDS
        yield fake
