"""Alibaba Cloud SMS through the official SDK, against the fake endpoint that checks
the ACS3-HMAC-SHA256 signature of every request."""

import httpx
import pytest

from yachi.messaging.providers import SmsRequest, get_sms_provider
from yachi.messaging.providers.local import MemoryProvider
from yachi.messaging.tests.conftest import LONGER_THAN_THE_CLIENT_WAITS, SIGN_NAME


def reminder(**changes) -> SmsRequest:
    values = dict(
        phone="13912345678",
        template="appointment_reminder",
        params={"name": "张妈妈", "service": "洗牙", "time": "12月3日 09:30"},
        text="张妈妈您好，您预约的洗牙在12月3日 09:30，请提前10分钟到诊。",
        out_id="notification-7f3a",
    )
    return SmsRequest(**(values | changes))


def test_a_reminder_reaches_aliyun_with_the_approved_template_and_sign(aliyun_sms):
    result = get_sms_provider().send(reminder())

    assert result.accepted
    [sent] = aliyun_sms.sent
    assert result.provider_message_id == sent.biz_id
    assert sent.phone == "13912345678"
    assert sent.sign_name == SIGN_NAME
    assert sent.template_code == "SMS_465000002"
    assert sent.params == {"name": "张妈妈", "service": "洗牙", "time": "12月3日 09:30"}
    assert sent.out_id == "notification-7f3a"


def test_a_login_code_goes_out_through_aliyun(aliyun_sms, api):
    response = api.post("/auth/sms-code", {"phone": "13912345678"})

    assert response.status_code == 202
    [sent] = aliyun_sms.sent
    assert sent.template_code == "SMS_465000001"
    assert sent.params["minutes"] == "5"
    assert sent.params["code"].isdigit() and len(sent.params["code"]) == 6
    assert sent.out_id.startswith("sms-code-")
    assert MemoryProvider.outbox == []


def test_a_wrong_secret_fails_the_signature_check(aliyun_sms, settings):
    settings.YACHI_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"

    result = get_sms_provider().send(reminder())

    assert not result.accepted and not result.retryable
    assert result.error_code == "SignatureDoesNotMatch"
    assert aliyun_sms.sent == []


def test_an_unknown_access_key_is_refused(aliyun_sms, settings):
    settings.YACHI_ALIYUN_ACCESS_KEY_ID = "LTAI5tSomebodyElse"

    result = get_sms_provider().send(reminder())

    assert (result.accepted, result.retryable) == (False, False)
    assert result.error_code == "InvalidAccessKeyId.NotFound"


def test_a_request_changed_on_the_way_or_replayed_is_refused(aliyun_sms):
    """The signature covers the query: another number in a captured request fails it,
    and the same request sent twice is refused for its used nonce."""
    assert get_sms_provider().send(reminder()).accepted
    [original] = aliyun_sms.received
    headers = {name: values[0] for name, values in original.headers.items()}

    changed = original.raw_query.replace("13912345678", "13800000000")
    tampered = httpx.post(f"{aliyun_sms.url}/?{changed}", headers=headers)
    replayed = httpx.post(f"{aliyun_sms.url}/?{original.raw_query}", headers=headers)

    assert tampered.json()["Code"] == "SignatureDoesNotMatch"
    assert replayed.json()["Code"] == "SignatureNonceUsed"
    assert len(aliyun_sms.sent) == 1


@pytest.mark.parametrize(
    ("failure", "code"),
    [("throttle", "isv.BUSINESS_LIMIT_CONTROL"), ("throttle_api", "Throttling.User")],
)
def test_throttling_may_be_retried(aliyun_sms, failure, code):
    aliyun_sms.fail_next(failure)

    refused = get_sms_provider().send(reminder())
    retried = get_sms_provider().send(reminder())

    assert (refused.accepted, refused.retryable, refused.error_code) == (False, True, code)
    assert retried.accepted
    assert len(aliyun_sms.sent) == 1


def test_an_unavailable_service_may_be_retried_but_an_internal_error_is_uncertain(aliyun_sms):
    aliyun_sms.fail_next("unavailable")
    aliyun_sms.fail_next("server_error")

    unavailable = get_sms_provider().send(reminder())
    internal = get_sms_provider().send(reminder())

    assert (unavailable.accepted, unavailable.retryable) == (False, True)
    assert unavailable.error_code == "ServiceUnavailable"
    assert (internal.accepted, internal.retryable, internal.uncertain) == (False, False, True)
    assert "InternalError" in internal.error_message


def test_an_answer_that_never_comes_is_uncertain_and_not_retried(aliyun_sms):
    """The fake delivers the message, then answers after the client gave up."""
    aliyun_sms.delay_next(LONGER_THAN_THE_CLIENT_WAITS)

    result = get_sms_provider().send(reminder())

    assert (result.accepted, result.retryable, result.error_code) == (False, False, "uncertain")
    assert len(aliyun_sms.sent) == 1  # why a retry would send it twice


def test_a_refused_connection_may_be_retried(aliyun_sms, settings, closed_port):
    settings.YACHI_ALIYUN_SMS_ENDPOINT = f"127.0.0.1:{closed_port}"

    result = get_sms_provider().send(reminder())

    assert (result.accepted, result.retryable, result.error_code) == (False, True, "unreachable")


def test_a_wrong_number_is_refused_for_good(aliyun_sms):
    result = get_sms_provider().send(reminder(phone="1391234"))

    assert (result.accepted, result.retryable) == (False, False)
    assert result.error_code == "isv.MOBILE_NUMBER_ILLEGAL"


def test_a_template_the_clinic_has_not_configured_is_not_sent(aliyun_sms):
    result = get_sms_provider().send(reminder(template="birthday_greeting"))

    assert (result.accepted, result.retryable) == (False, False)
    assert result.error_code == "template_not_configured"
    assert aliyun_sms.received == []
