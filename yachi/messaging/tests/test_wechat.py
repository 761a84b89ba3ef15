"""WeChat mini-program API over HTTP, against the fake WeChat server: access tokens
shared through the cache, subscribe messages, and ``code2session``."""

import pytest

from yachi.messaging.providers import get_wechat
from yachi.messaging.providers.wechat import WeChatCodeInvalid, WeChatUnavailable
from yachi.messaging.tests.conftest import LONGER_THAN_THE_CLIENT_WAITS, REMINDER_TEMPLATE_ID

OPENID = "oYachi_patient_parent_0000000"
REMINDER = {
    "service": "种植牙咨询（含全景片拍摄与口腔检查及治疗方案讲解）",
    "time": "2026年12月3日 09:30",
    "clinic": "静安店",
    "name": "张妈妈",
}


def send_reminder(**changes):
    return get_wechat().send_template(
        template="appointment_reminder",
        openid=OPENID,
        params=REMINDER | changes,
        page="pages/appointments/detail?id=42",
    )


def test_a_reminder_is_delivered_with_its_values_fitted_to_the_template(wechat):
    wechat.subscribe(OPENID, REMINDER_TEMPLATE_ID)

    result = send_reminder()

    assert result.accepted
    [sent] = wechat.sent
    assert result.provider_message_id == str(sent.msgid)
    assert (sent.openid, sent.template_id) == (OPENID, REMINDER_TEMPLATE_ID)
    assert sent.values == {
        "thing1": "种植牙咨询（含全景片拍摄与口腔检查及治…",  # 20 characters at most
        "time2": "2026年12月3日 09:30",
        "thing3": "静安店",
        "name4": "张妈妈",
    }
    assert len(sent.values["thing1"]) == 20
    assert (sent.page, sent.lang, sent.miniprogram_state) == (
        "pages/appointments/detail?id=42",
        "zh_CN",
        "formal",
    )


def test_one_token_serves_every_send_and_every_process(wechat):
    """Two clients stand for two processes: both read the token from the shared cache."""
    wechat.subscribe(OPENID, REMINDER_TEMPLATE_ID, times=3)
    web, jobs = get_wechat(), get_wechat()

    for client in (web, jobs, jobs):
        assert client.send_template(
            template="appointment_reminder", openid=OPENID, params=REMINDER
        ).accepted

    assert wechat.token_requests == 1
    assert len(wechat.sent) == 3


def test_an_expired_token_is_replaced_once_and_the_message_sent(wechat):
    wechat.subscribe(OPENID, REMINDER_TEMPLATE_ID, times=2)
    assert send_reminder().accepted
    wechat.expire_tokens()

    result = send_reminder()

    assert result.accepted
    assert wechat.token_requests == 2
    assert len(wechat.sent) == 2


def test_a_token_still_refused_after_one_refresh_is_left_to_a_later_retry(wechat):
    wechat.subscribe(OPENID, REMINDER_TEMPLATE_ID)
    wechat.fail_next("stale_token", times=2)

    result = send_reminder()

    assert (result.accepted, result.retryable, result.error_code) == (False, True, "40001")
    assert wechat.token_requests == 2
    assert wechat.sent == []


def test_a_patient_who_did_not_subscribe_gets_nothing_and_no_retry(wechat):
    result = send_reminder()

    assert (result.accepted, result.retryable, result.error_code) == (False, False, "43101")


@pytest.mark.parametrize(("failure", "errcode"), [("busy", "-1"), ("frequency", "45009")])
def test_a_busy_or_limited_wechat_may_be_retried(wechat, failure, errcode):
    wechat.subscribe(OPENID, REMINDER_TEMPLATE_ID)
    wechat.fail_next(failure)

    refused = send_reminder()
    retried = send_reminder()

    assert (refused.accepted, refused.retryable, refused.error_code) == (False, True, errcode)
    assert retried.accepted


def test_an_answer_that_never_comes_is_uncertain_and_not_retried(wechat):
    wechat.subscribe(OPENID, REMINDER_TEMPLATE_ID)
    wechat.delay_next(LONGER_THAN_THE_CLIENT_WAITS)

    result = send_reminder()

    assert (result.accepted, result.retryable, result.error_code) == (False, False, "uncertain")
    assert len(wechat.sent) == 1


def test_a_wrong_secret_gets_no_token_and_sends_nothing(wechat, settings):
    settings.YACHI_WECHAT_SECRET = "not-the-secret"
    wechat.subscribe(OPENID, REMINDER_TEMPLATE_ID)

    result = send_reminder()

    assert (result.accepted, result.retryable, result.error_code) == (False, False, "token_40125")
    assert wechat.sent == []


def test_an_unreachable_wechat_may_be_retried(wechat, settings, closed_port):
    settings.YACHI_WECHAT_API_BASE = f"http://127.0.0.1:{closed_port}"

    result = send_reminder()

    assert (result.accepted, result.retryable, result.error_code) == (
        False,
        True,
        "token_unavailable",
    )


def test_a_reminder_missing_a_value_is_not_sent(wechat):
    wechat.subscribe(OPENID, REMINDER_TEMPLATE_ID)
    params = dict(REMINDER)
    del params["clinic"]

    result = get_wechat().send_template(
        template="appointment_reminder", openid=OPENID, params=params
    )

    assert (result.accepted, result.error_code) == (False, "template_params_missing")
    assert wechat.received == []


def test_a_login_code_gives_the_users_openid_once(wechat):
    wechat.login_code("081abcDEF", openid=OPENID, unionid="oUnion_family_0001")

    session = get_wechat().code2session(code="081abcDEF")

    assert (session.openid, session.unionid) == (OPENID, "oUnion_family_0001")
    assert session.session_key and session.session_key not in repr(session)
    with pytest.raises(WeChatCodeInvalid):
        get_wechat().code2session(code="081abcDEF")


def test_an_unknown_login_code_is_refused_clearly(wechat):
    with pytest.raises(WeChatCodeInvalid) as refused:
        get_wechat().code2session(code="not-a-code")

    assert refused.value.code == "wechat_code_invalid"
    assert refused.value.status == 400


def test_a_login_with_a_wrong_secret_says_wechat_is_unavailable(wechat, settings):
    settings.YACHI_WECHAT_SECRET = "not-the-secret"
    wechat.login_code("081abcDEF", openid=OPENID)

    with pytest.raises(WeChatUnavailable):
        get_wechat().code2session(code="081abcDEF")
