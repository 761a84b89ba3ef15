"""Alipay's open platform over HTTP, against the fake Alipay gateway, which checks our
RSA2 signatures with our public key and signs its answers and notifications with its
own key."""

from datetime import timedelta
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from alipay import AliPay
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from tests.fakes.server import FakeServer, Request, Response
from tests.fakes.wechatpay import new_rsa_key, private_pem, public_pem
from yachi.payments.providers import get_payment_provider, payment_provider_configured
from yachi.payments.providers.alipay import top_level_members
from yachi.payments.providers.base import (
    InvalidCallback,
    PaymentRequest,
    ProviderError,
    ProviderRefused,
    ProviderUnavailable,
)
from yachi.payments.providers.signing import fen_from_yuan_text, yuan_text
from yachi.payments.tests.conftest import ALIPAY_APPID

NUMBER = "YP20261128000001"


def payment(out_trade_no=NUMBER, channel="wap", amount_fen=990, **changes):
    fields = {
        "out_trade_no": out_trade_no,
        "amount_fen": amount_fen,
        "description": "牙齿口腔-补牙 {第1颗}",
        "channel": channel,
        "expires_at": timezone.now() + timedelta(minutes=15),
        "notify_url": "https://clinic.example.com/payments/notify/alipay",
        "return_url": "https://clinic.example.com/pay/done?id=7",
    }
    return PaymentRequest(**(fields | changes))


def provider():
    return get_payment_provider("alipay")


def opened(alipay, amount_fen=990, channel="wap"):
    """The payer opened the payment page: the trade now exists at Alipay."""
    page = alipay.open_page(provider().start(payment(amount_fen=amount_fen, channel=channel)).url)
    assert "收银台" in page.text, page.text
    return alipay.trades[NUMBER]


def paid(alipay, amount_fen=990):
    opened(alipay, amount_fen)
    return alipay.pay(NUMBER)


# --- amounts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fen", "yuan"),
    [(990, "9.90"), (1, "0.01"), (10, "0.10"), (100, "1.00"), (123456789, "1234567.89")],
)
def test_fen_and_yuan_convert_exactly(fen, yuan):
    assert yuan_text(fen) == yuan
    assert fen_from_yuan_text(yuan) == fen


@pytest.mark.parametrize("text", ["9.901", "abc", "", "NaN", "Infinity"])
def test_an_amount_that_is_not_whole_fen_is_an_error(text):
    with pytest.raises(ProviderError):
        fen_from_yuan_text(text)


# --- starting a payment --------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "method", "product_code"),
    [
        ("wap", "alipay.trade.wap.pay", "QUICK_WAP_WAY"),
        ("page", "alipay.trade.page.pay", "FAST_INSTANT_TRADE_PAY"),
    ],
)
def test_the_payment_page_is_signed_and_creates_the_trade_when_opened(
    alipay, channel, method, product_code
):
    start = provider().start(payment(channel=channel, amount_fen=1))

    assert start.kind == "redirect"
    params = {name: values[0] for name, values in parse_qs(urlsplit(start.url).query).items()}
    assert params["method"] == method
    assert params["notify_url"] == "https://clinic.example.com/payments/notify/alipay"
    assert alipay.trades == {}  # nothing at Alipay until the payer opens the page

    trade = opened(alipay, amount_fen=1, channel=channel)

    assert (trade.total_amount, trade.product_code) == ("0.01", product_code)
    assert trade.subject == "牙齿口腔-补牙 {第1颗}"
    assert alipay.refused == []


def test_a_page_signed_with_another_key_is_refused_when_opened(alipay, settings):
    settings.YACHI_ALIPAY_PRIVATE_KEY = new_key_pem()

    page = alipay.open_page(provider().start(payment()).url)

    assert "isv.invalid-signature" in page.text
    assert alipay.refused == ["isv.invalid-signature"]
    assert alipay.trades == {}


def test_a_page_whose_amount_was_changed_is_refused(alipay):
    url = provider().start(payment(amount_fen=990)).url

    alipay.open_page(url.replace("9.90", "0.01"))

    assert alipay.refused == ["isv.invalid-signature"]
    assert alipay.trades == {}


def new_key_pem():
    return private_pem(new_rsa_key())


# --- query, close --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trade_status", "state"),
    [("WAIT_BUYER_PAY", "unpaid"), ("TRADE_CLOSED", "closed"), ("TRADE_FINISHED", "paid")],
)
def test_a_query_maps_each_trade_status(alipay, trade_status, state):
    opened(alipay)
    alipay.set_status(NUMBER, trade_status)

    trade = provider().query(NUMBER)

    assert (trade.out_trade_no, trade.state, trade.amount_fen) == (NUMBER, state, 990)


def test_a_paid_trade_is_queried_with_its_number_and_time(alipay):
    trade_at_alipay = paid(alipay, amount_fen=1)

    trade = provider().query(NUMBER)

    assert (trade.state, trade.amount_fen) == ("paid", 1)
    assert trade.provider_trade_no == trade_at_alipay.trade_no
    assert abs((timezone.now() - trade.paid_at).total_seconds()) < 60


def test_a_trade_wholly_refunded_is_refunded_not_closed(alipay):
    paid(alipay)
    provider().refund(
        out_trade_no=NUMBER, out_refund_no="YR1", refund_fen=990, total_fen=990, reason=""
    )

    assert alipay.trades[NUMBER].trade_status == "TRADE_CLOSED"
    assert provider().query(NUMBER).state == "refunded"


def test_a_trade_whose_page_was_never_opened_is_not_found(alipay):
    provider().start(payment())

    assert provider().query(NUMBER).state == "not_found"


def test_close_closes_a_waiting_trade_and_a_paid_one_refuses(alipay):
    opened(alipay)

    provider().close(NUMBER)
    assert alipay.trades[NUMBER].trade_status == "TRADE_CLOSED"

    alipay.set_status(NUMBER, "TRADE_SUCCESS")
    with pytest.raises(ProviderRefused) as refused:
        provider().close(NUMBER)
    assert refused.value.code == "ACQ.TRADE_STATUS_ERROR"


# --- refunds -------------------------------------------------------------------------


def test_a_partial_refund_succeeds_and_a_repeated_one_is_the_same_refund(alipay):
    paid(alipay)

    first = provider().refund(
        out_trade_no=NUMBER, out_refund_no="YR1", refund_fen=330, total_fen=990, reason="改约"
    )
    again = provider().refund(
        out_trade_no=NUMBER, out_refund_no="YR1", refund_fen=330, total_fen=990, reason="改约"
    )

    assert (first.out_refund_no, first.state) == ("YR1", "succeeded")
    assert again.state == "succeeded"  # fund_change "N", confirmed by the refund query
    assert str(alipay.trades[NUMBER].refunded) == "3.30"
    assert alipay.refunds["YR1"].refund_amount == "3.30"


def test_refunding_more_than_was_paid_is_refused_with_the_code(alipay):
    paid(alipay)

    with pytest.raises(ProviderRefused) as refused:
        provider().refund(
            out_trade_no=NUMBER, out_refund_no="YR1", refund_fen=991, total_fen=990, reason=""
        )

    assert refused.value.code == "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"
    assert alipay.refunds == {}


def test_an_api_call_signed_with_another_key_is_refused(alipay, settings):
    paid(alipay)
    settings.YACHI_ALIPAY_PRIVATE_KEY = new_key_pem()

    with pytest.raises(ProviderRefused) as refused:
        provider().refund(
            out_trade_no=NUMBER, out_refund_no="YR1", refund_fen=100, total_fen=990, reason=""
        )

    assert refused.value.code == "isv.invalid-signature"
    assert alipay.refunds == {}


# --- notifications -------------------------------------------------------------------


def test_a_payment_notification_is_verified_and_read(alipay):
    trade = paid(alipay)
    note = alipay.payment_notification(NUMBER)

    event = provider().parse_callback(headers=note.headers, body=note.body)

    assert (event.kind, event.state, event.out_trade_no, event.amount_fen) == (
        "payment",
        "paid",
        NUMBER,
        990,
    )
    assert event.notification_id == note.fields["notify_id"]
    assert event.provider_trade_no == trade.trade_no
    assert event.paid_at.utcoffset() == timedelta(hours=8)


def independently_signed(alipay, fields: dict[str, str]) -> bytes:
    """A notification body signed by python-alipay-sdk, a separate implementation of
    Alipay's documented algorithm, with Alipay's key."""
    signer = AliPay(
        appid=ALIPAY_APPID,
        app_private_key_string=private_pem(alipay.alipay_key),
        alipay_public_key_string=public_pem(alipay.alipay_key),
    )
    return (signer.sign_data(dict(fields)) + "&sign_type=RSA2").encode()


def test_a_notification_with_empty_fields_signed_independently_is_accepted(alipay):
    paid(alipay)
    fields = parse_form(alipay.payment_notification(NUMBER).body)
    del fields["sign"], fields["sign_type"]
    fields |= {"body": "", "passback_params": ""}
    body = independently_signed(alipay, fields)

    event = provider().parse_callback(headers={}, body=body)

    assert (event.kind, event.state, event.amount_fen) == ("payment", "paid", 990)


def test_an_empty_field_added_after_signing_is_refused(alipay):
    paid(alipay)
    body = alipay.payment_notification(NUMBER).body + b"&passback_params="

    with pytest.raises(InvalidCallback) as invalid:
        provider().parse_callback(headers={}, body=body)

    assert invalid.value.code == "invalid_signature"


def test_the_fake_signs_notifications_as_the_independent_library_verifies_them(alipay):
    paid(alipay)
    note = alipay.garbled_notification(NUMBER, body="")
    fields = parse_form(note.body)
    signature = fields.pop("sign")
    verifier = AliPay(
        appid=ALIPAY_APPID,
        app_private_key_string=private_pem(new_rsa_key()),
        alipay_public_key_string=public_pem(alipay.alipay_key),
    )

    assert verifier.verify(fields, signature)


def parse_form(body: bytes) -> dict[str, str]:
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def test_a_closed_trade_notification_is_read(alipay):
    opened(alipay)
    alipay.set_status(NUMBER, "TRADE_CLOSED")
    note = alipay.payment_notification(NUMBER)

    event = provider().parse_callback(headers=note.headers, body=note.body)

    assert (event.kind, event.state) == ("payment", "closed")


def test_a_refund_notification_is_read(alipay):
    paid(alipay)
    provider().refund(
        out_trade_no=NUMBER, out_refund_no="YR1", refund_fen=10, total_fen=990, reason=""
    )
    note = alipay.refund_notification("YR1")

    event = provider().parse_callback(headers=note.headers, body=note.body)

    assert (event.kind, event.state, event.out_refund_no) == ("refund", "succeeded", "YR1")
    assert event.amount_fen == 10


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("tampered amount", "invalid_signature"),
        ("signed with another key", "invalid_signature"),
        ("unsigned", "unsigned"),
        ("RSA1 sign type", "invalid_signature"),
        ("another app", "wrong_app"),
        ("not a form", "malformed"),
    ],
)
def test_a_notification_that_fails_verification_is_invalid(alipay, settings, case, code):
    paid(alipay)
    note = alipay.payment_notification(
        NUMBER, **({"signing_key": new_rsa_key()} if case == "signed with another key" else {})
    )
    body = note.body
    if case == "tampered amount":
        body = body.replace(b"total_amount=9.90", b"total_amount=0.01")
        assert body != note.body
    if case == "unsigned":
        body = b"&".join(part for part in body.split(b"&") if not part.startswith(b"sign="))
    if case == "RSA1 sign type":
        body = body.replace(b"sign_type=RSA2", b"sign_type=RSA")
    if case == "another app":
        settings.YACHI_ALIPAY_APPID = "2021009999999999"
    if case == "not a form":
        body = b"\xff\xfe not a form"

    with pytest.raises(InvalidCallback) as invalid:
        provider().parse_callback(headers=note.headers, body=body)

    assert invalid.value.code == code


def test_callback_answers_are_the_words_alipay_reads(alipay):
    answer_ok = provider().callback_answer(ok=True)
    answer_failed = provider().callback_answer(ok=False)

    assert (answer_ok.content_type, answer_ok.body) == ("text/plain", b"success")
    assert answer_failed.body == b"failure"


class Receiver(FakeServer):
    """Our notification endpoint, as the payments core will serve it."""

    def __init__(self):
        super().__init__()
        self.events = []

    def handle(self, request: Request) -> Response:
        adapter = provider()
        headers = {name: values[0] for name, values in request.headers.items()}
        try:
            self.events.append(adapter.parse_callback(headers=headers, body=request.body))
            answer = adapter.callback_answer(ok=True)
        except InvalidCallback:
            answer = adapter.callback_answer(ok=False)
        return Response(status=answer.status, body=answer.body, content_type=answer.content_type)


def test_a_notification_delivered_over_http_is_acknowledged(alipay):
    paid(alipay)
    with Receiver() as receiver:
        good = alipay.deliver(alipay.payment_notification(NUMBER), receiver.url)
        forged = alipay.deliver(
            alipay.payment_notification(NUMBER, signing_key=new_rsa_key()), receiver.url
        )

    assert (good.text, forged.text) == ("success", "failure")
    assert [event.state for event in receiver.events] == ["paid"]


# --- answers ---------------------------------------------------------------------------


def test_the_signed_text_is_cut_from_the_answer_exactly():
    raw = '{"a_response": {"msg": "x}\\"{", "n": [1, {"b": 2}]} , "sign" : "c2ln"}'

    assert top_level_members(raw) == {
        "a_response": '{"msg": "x}\\"{", "n": [1, {"b": 2}]}',
        "sign": '"c2ln"',
    }


@pytest.mark.parametrize(
    ("failure", "exception", "code"),
    [
        ("unavailable", ProviderUnavailable, "isp.unknow-error"),
        ("system_error", ProviderUnavailable, "ACQ.SYSTEM_ERROR"),
        ("http_error", ProviderUnavailable, "http_error"),
        ("forged", ProviderUnavailable, "unverified"),
    ],
)
def test_an_answer_that_cannot_be_acted_on_is_unavailable(alipay, failure, exception, code):
    opened(alipay)
    alipay.fail_next(failure)

    with pytest.raises(exception) as raised:
        provider().query(NUMBER)

    assert raised.value.code == code


def test_a_refused_connection_is_unavailable(alipay, settings, closed_port):
    settings.YACHI_ALIPAY_GATEWAY = f"http://127.0.0.1:{closed_port}/gateway.do"

    with pytest.raises(ProviderUnavailable) as unavailable:
        provider().query(NUMBER)

    assert unavailable.value.code == "network"


def test_an_answer_that_comes_too_late_is_unavailable(alipay):
    alipay.delay_next(5.0)

    with pytest.raises(ProviderUnavailable) as unavailable:
        provider().query(NUMBER)

    assert unavailable.value.code == "timeout"


def test_configured_only_with_every_setting(alipay, settings):
    assert payment_provider_configured("alipay")
    assert not payment_provider_configured("simulator")
    settings.YACHI_ALIPAY_PUBLIC_KEY = ""

    assert not payment_provider_configured("alipay")
    with pytest.raises(ImproperlyConfigured, match="YACHI_ALIPAY_PUBLIC_KEY"):
        provider()
