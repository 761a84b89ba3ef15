"""Tencent Cloud SMS through the official SDK, against the fake endpoint that checks
the TC3-HMAC-SHA256 signature of every request."""

import json

import httpx
import pytest

from yachi.messaging.providers import SmsRequest, get_sms_provider
from yachi.messaging.tests.conftest import LONGER_THAN_THE_CLIENT_WAITS, SIGN_NAME, TENCENT_APP_ID


def reminder(**changes) -> SmsRequest:
    values = dict(
        phone="13912345678",
        template="appointment_reminder",
        params={"time": "12月3日 09:30", "name": "张妈妈", "service": "洗牙"},
        text="张妈妈您好，您预约的洗牙在12月3日 09:30，请提前10分钟到诊。",
        out_id="notification-7f3a",
    )
    return SmsRequest(**(values | changes))


def test_a_reminder_reaches_tencent_with_its_params_in_the_template_order(tencent_sms):
    result = get_sms_provider().send(reminder())

    assert result.accepted
    [sent] = tencent_sms.sent
    assert result.provider_message_id == sent.serial_no
    assert sent.phone == "+8613912345678"
    assert (sent.app_id, sent.sign_name, sent.template_id) == (TENCENT_APP_ID, SIGN_NAME, "1800002")
    assert sent.params == ["张妈妈", "洗牙", "12月3日 09:30"]
    assert sent.session_context == "notification-7f3a"


def test_a_login_code_goes_out_through_tencent(tencent_sms, api):
    api.post("/auth/sms-code", {"phone": "13912345678"})

    [sent] = tencent_sms.sent
    assert sent.template_id == "1800001"
    code, minutes = sent.params
    assert code.isdigit() and len(code) == 6
    assert minutes == "5"


def test_a_wrong_secret_key_fails_the_signature_check(tencent_sms, settings):
    settings.YACHI_TENCENT_SECRET_KEY = "not-the-secret"

    result = get_sms_provider().send(reminder())

    assert (result.accepted, result.retryable) == (False, False)
    assert result.error_code == "AuthFailure.SignatureFailure"
    assert tencent_sms.sent == []


def test_an_unknown_secret_id_is_refused(tencent_sms, settings):
    settings.YACHI_TENCENT_SECRET_ID = "AKIDSomebodyElse"

    result = get_sms_provider().send(reminder())

    assert (result.accepted, result.retryable) == (False, False)
    assert result.error_code == "AuthFailure.SecretIdNotFound"


def test_a_request_changed_on_the_way_is_refused(tencent_sms):
    """The signature covers the body: another number in a captured request fails it."""
    assert get_sms_provider().send(reminder()).accepted
    [original] = tencent_sms.received
    headers = {name: values[0] for name, values in original.headers.items()}
    body = json.loads(original.body) | {"PhoneNumberSet": ["+8613800000000"]}

    tampered = httpx.post(tencent_sms.url, headers=headers, content=json.dumps(body))

    assert tampered.json()["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"
    assert len(tencent_sms.sent) == 1


@pytest.mark.parametrize(
    ("failure", "code"),
    [("daily_limit", "LimitExceeded.PhoneNumberDailyLimit"), ("throttle", "RequestLimitExceeded")],
)
def test_limits_may_be_retried(tencent_sms, failure, code):
    tencent_sms.fail_next(failure)

    refused = get_sms_provider().send(reminder())
    retried = get_sms_provider().send(reminder())

    assert (refused.accepted, refused.retryable, refused.error_code) == (False, True, code)
    assert retried.accepted
    assert len(tencent_sms.sent) == 1


def test_an_unavailable_gateway_may_be_retried(tencent_sms):
    tencent_sms.fail_next("unavailable")

    result = get_sms_provider().send(reminder())

    assert (result.accepted, result.retryable, result.error_code) == (False, True, "http_503")


@pytest.mark.parametrize("failure", ["internal_error", "bad_gateway"])
def test_an_internal_error_or_a_bad_gateway_is_uncertain(tencent_sms, failure):
    tencent_sms.fail_next(failure)

    result = get_sms_provider().send(reminder())

    assert (result.accepted, result.retryable, result.uncertain) == (False, False, True)


def test_an_answer_that_never_comes_is_uncertain_and_not_retried(tencent_sms):
    tencent_sms.delay_next(LONGER_THAN_THE_CLIENT_WAITS)

    result = get_sms_provider().send(reminder())

    assert (result.accepted, result.retryable, result.error_code) == (False, False, "uncertain")
    assert len(tencent_sms.sent) == 1


def test_a_refused_connection_may_be_retried(tencent_sms, settings, closed_port):
    settings.YACHI_TENCENT_SMS_ENDPOINT = f"127.0.0.1:{closed_port}"

    result = get_sms_provider().send(reminder())

    assert (result.accepted, result.retryable, result.error_code) == (False, True, "unreachable")


def test_a_wrong_number_is_refused_for_good(tencent_sms):
    result = get_sms_provider().send(reminder(phone="1391234"))

    assert (result.accepted, result.retryable) == (False, False)
    assert result.error_code == "InvalidParameterValue.IncorrectPhoneNumber"


def test_a_message_missing_a_template_param_is_not_sent(tencent_sms):
    result = get_sms_provider().send(reminder(params={"name": "张妈妈", "service": "洗牙"}))

    assert (result.accepted, result.retryable) == (False, False)
    assert result.error_code == "template_params_missing"
    assert tencent_sms.received == []
