"""When one SMS provider fails, the message goes through the other, once.

Both fake vendors run; Aliyun or Tencent is the first choice and the other the
fallback (``YACHI_SMS_FALLBACK_PROVIDER``)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from yachi.messaging import services
from yachi.messaging.choices import Status
from yachi.messaging.models import Notification
from yachi.messaging.providers import check_settings
from yachi.messaging.sms import send_sms

pytestmark = pytest.mark.django_db(transaction=True)
PARAMS = {"name": "张妈妈", "service": "洁牙", "time": "12月3日 09:30", "patient": "张妈妈"}


@pytest.fixture
def both(settings, aliyun_sms, tencent_sms):
    def first(primary: str, fallback: str):
        settings.YACHI_SMS_PROVIDER = primary
        settings.YACHI_SMS_FALLBACK_PROVIDER = fallback
        return {"aliyun": aliyun_sms, "tencent": tencent_sms}

    return first


def remind(world):
    [sms] = services.notify(
        recipient=world.patient_parent,
        kind="appointment_reminder",
        params=PARAMS,
        key="failover",
        channels=("sms",),
    )
    sms.refresh_from_db()
    return sms


@pytest.mark.parametrize(
    ("primary", "fallback", "failure"),
    [("aliyun", "tencent", "unavailable"), ("tencent", "aliyun", "throttle")],
)
def test_a_provider_that_fails_hands_the_message_to_the_other(
    world, both, primary, fallback, failure
):
    fakes = both(primary, fallback)
    fakes[primary].fail_next(failure)

    sms = remind(world)

    assert sms.status == Status.SENT and sms.provider == fallback
    assert fakes[primary].sent == [] and len(fakes[fallback].sent) == 1
    assert primary in sms.error  # what happened is kept for support


def test_the_first_choice_carries_the_message_when_it_works(world, both):
    fakes = both("aliyun", "tencent")
    sms = remind(world)
    assert sms.provider == "aliyun" and len(fakes["aliyun"].sent) == 1
    assert fakes["tencent"].sent == []


def test_an_unreachable_provider_fails_over_too(world, both, settings, closed_port):
    fakes = both("aliyun", "tencent")
    settings.YACHI_ALIYUN_SMS_ENDPOINT = f"127.0.0.1:{closed_port}"
    assert remind(world).provider == "tencent" and len(fakes["tencent"].sent) == 1


def test_a_send_that_may_have_arrived_is_not_sent_again_elsewhere(world, both):
    fakes = both("aliyun", "tencent")
    fakes["aliyun"].fail_next("server_error")  # the message may be on its way
    sms = remind(world)
    assert sms.status == Status.UNCERTAIN
    assert fakes["tencent"].sent == []


def test_both_failing_tries_each_once_and_retries_later(world, both):
    fakes = both("aliyun", "tencent")
    fakes["aliyun"].fail_next("unavailable")
    fakes["tencent"].fail_next("throttle")
    sms = remind(world)
    assert sms.status == Status.RETRYING and sms.attempts == 1
    assert fakes["aliyun"].sent == fakes["tencent"].sent == []
    assert Notification.objects.count() == 1


def test_login_codes_fail_over(both):
    fakes = both("tencent", "aliyun")
    fakes["tencent"].fail_next("throttle")
    result = send_sms(
        phone="13912345678",
        template="login_code",
        params={"code": "123456", "minutes": "5"},
        text="验证码 123456",
        out_id="sms-code-1",
    )
    assert result.accepted and result.provider == "aliyun"
    assert [m.params for m in fakes["aliyun"].sent] == [{"code": "123456", "minutes": "5"}]


@pytest.mark.parametrize(
    ("fallback", "complaint"),
    [("aliyun", "the same as YACHI_SMS_PROVIDER"), ("sendgrid", "must be one of aliyun, tencent")],
)
def test_a_fallback_that_cannot_work_is_refused(settings, aliyun_sms, fallback, complaint):
    settings.YACHI_SMS_FALLBACK_PROVIDER = fallback
    with pytest.raises(ImproperlyConfigured, match=complaint):
        check_settings()


def test_a_fallback_needs_its_credentials(settings, aliyun_sms):
    settings.YACHI_SMS_FALLBACK_PROVIDER = "tencent"
    with pytest.raises(ImproperlyConfigured, match="needs YACHI_TENCENT_SECRET_ID"):
        check_settings()
