"""WeChat Pay API v3 over HTTP, against the fake WeChat Pay server, which checks our
signatures with our public key and signs (and encrypts) what it sends with its own."""

import json
import time
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from tests.fakes.server import FakeServer, Request, Response
from tests.fakes.wechatpay import new_rsa_key, private_pem
from yachi.payments.providers import get_payment_provider, payment_provider_configured
from yachi.payments.providers.base import (
    InvalidCallback,
    PaymentRequest,
    ProviderRefused,
    ProviderUnavailable,
)

OPENID = "oYachi_patient_parent_0000000"


def payment(out_trade_no="YP20261128000001", channel="jsapi", amount_fen=990, **changes):
    fields = {
        "out_trade_no": out_trade_no,
        "amount_fen": amount_fen,
        "description": "牙齿口腔-洁牙",
        "channel": channel,
        "expires_at": timezone.now() + timedelta(minutes=15),
        "notify_url": "https://clinic.example.com/payments/notify/wechatpay",
        "payer_openid": OPENID if channel == "jsapi" else "",
        "client_ip": "203.0.113.7" if channel == "h5" else "",
    }
    return PaymentRequest(**(fields | changes))


def provider():
    return get_payment_provider("wechatpay")


# --- starting a payment --------------------------------------------------------------


def test_a_jsapi_start_creates_the_order_and_gives_a_pay_sign_our_key_verifies(wechatpay):
    start = provider().start(payment())

    assert start.kind == "jsapi"
    trade = wechatpay.trades["YP20261128000001"]
    assert (trade.trade_type, trade.total, trade.payer_openid) == ("JSAPI", 990, OPENID)
    assert trade.description == "牙齿口腔-洁牙"
    assert trade.time_expire.endswith("+08:00")
    assert set(start.params) == {"appId", "timeStamp", "nonceStr", "package", "signType", "paySign"}
    assert start.params["package"] == f"prepay_id={trade.prepay_id}"
    assert start.params["appId"] == "wx0123456789abcdef"
    assert abs(int(start.params["timeStamp"]) - time.time()) < 60
    # The mini-program hands these to wx.requestPayment; WeChat checks paySign.
    assert wechatpay.pay_with(start.params)
    assert wechatpay.trades["YP20261128000001"].trade_state == "SUCCESS"


def test_a_tampered_pay_sign_is_refused_by_the_payer_side(wechatpay):
    params = provider().start(payment()).params

    assert not wechatpay.pay_with(params | {"package": "prepay_id=wx_someone_elses"})
    assert wechatpay.trades["YP20261128000001"].trade_state == "NOTPAY"


def test_an_h5_start_gives_the_cashier_url_with_the_way_back(wechatpay):
    start = provider().start(
        payment(channel="h5", return_url="https://clinic.example.com/pay/done?id=7")
    )

    assert start.kind == "redirect"
    trade = wechatpay.trades["YP20261128000001"]
    assert trade.trade_type == "MWEB"
    assert start.url.startswith("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?")
    assert f"prepay_id={trade.prepay_id}" in start.url
    assert start.url.endswith(
        "&redirect_url=https%3A%2F%2Fclinic.example.com%2Fpay%2Fdone%3Fid%3D7"
    )


def test_starting_again_with_the_same_number_gives_the_same_order(wechatpay):
    first = provider().start(payment())
    again = provider().start(payment())

    assert first.params["package"] == again.params["package"]
    assert len(wechatpay.trades) == 1


def test_a_wrong_merchant_key_is_refused_by_the_provider(wechatpay, settings):
    settings.YACHI_WECHATPAY_PRIVATE_KEY = private_pem(new_rsa_key())

    with pytest.raises(ProviderRefused) as refused:
        provider().start(payment())

    assert refused.value.code == "SIGN_ERROR"
    assert wechatpay.refused == ["签名错误"]
    assert wechatpay.trades == {}


def test_a_business_error_is_refused_with_its_code(wechatpay):
    provider().start(payment())
    wechatpay.pay("YP20261128000001")

    with pytest.raises(ProviderRefused) as refused:
        provider().start(payment())

    assert refused.value.code == "ORDERPAID"


# --- query and close -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("trade_state", "state"),
    [
        ("NOTPAY", "unpaid"),
        ("USERPAYING", "unpaid"),
        ("CLOSED", "closed"),
        ("REVOKED", "closed"),
        ("PAYERROR", "closed"),
        ("REFUND", "refunded"),
    ],
)
def test_a_query_maps_each_trade_state(wechatpay, trade_state, state):
    provider().start(payment())
    wechatpay.set_state("YP20261128000001", trade_state)

    trade = provider().query("YP20261128000001")

    assert (trade.out_trade_no, trade.state, trade.amount_fen) == ("YP20261128000001", state, 990)


def test_a_paid_trade_is_queried_with_its_number_and_time(wechatpay):
    provider().start(payment())
    paid = wechatpay.pay("YP20261128000001")

    trade = provider().query("YP20261128000001")

    assert trade.state == "paid"
    assert trade.provider_trade_no == paid.transaction_id
    assert trade.paid_at is not None and trade.paid_at.utcoffset() == timedelta(hours=8)
    assert abs((timezone.now() - trade.paid_at).total_seconds()) < 60


def test_a_trade_the_provider_never_saw_is_not_found(wechatpay):
    assert provider().query("YP_NEVER_SENT").state == "not_found"


def test_close_closes_an_unpaid_order_and_a_paid_one_refuses(wechatpay):
    provider().start(payment())
    provider().start(payment(out_trade_no="YP20261128000002"))
    wechatpay.pay("YP20261128000002")

    provider().close("YP20261128000001")
    with pytest.raises(ProviderRefused) as refused:
        provider().close("YP20261128000002")

    assert wechatpay.trades["YP20261128000001"].trade_state == "CLOSED"
    assert refused.value.code == "ORDERPAID"
    assert wechatpay.trades["YP20261128000002"].trade_state == "SUCCESS"


# --- refunds -------------------------------------------------------------------------


def paid_order(wechatpay, amount_fen=990):
    provider().start(payment(amount_fen=amount_fen))
    wechatpay.pay("YP20261128000001")


def test_a_refund_succeeds_and_a_repeated_one_is_the_same_refund(wechatpay):
    paid_order(wechatpay)

    result = provider().refund(
        out_trade_no="YP20261128000001",
        out_refund_no="YR1",
        refund_fen=500,
        total_fen=990,
        reason="改约退款",
    )
    again = provider().refund(
        out_trade_no="YP20261128000001",
        out_refund_no="YR1",
        refund_fen=500,
        total_fen=990,
        reason="改约退款",
    )

    assert (result.out_refund_no, result.state) == ("YR1", "succeeded")
    assert result.provider_refund_id == wechatpay.refunds["YR1"].refund_id
    assert again == result
    assert wechatpay.trades["YP20261128000001"].refunded == 500
    assert provider().query("YP20261128000001").state == "refunded"


@pytest.mark.parametrize(
    ("status", "state"),
    [("PROCESSING", "processing"), ("ABNORMAL", "failed"), ("CLOSED", "failed")],
)
def test_a_refund_answers_its_status(wechatpay, status, state):
    paid_order(wechatpay)
    wechatpay.refund_status = status

    result = provider().refund(
        out_trade_no="YP20261128000001",
        out_refund_no="YR1",
        refund_fen=990,
        total_fen=990,
        reason="",
    )

    assert result.state == state


def test_refunding_more_than_was_paid_is_refused(wechatpay):
    paid_order(wechatpay)

    with pytest.raises(ProviderRefused) as refused:
        provider().refund(
            out_trade_no="YP20261128000001",
            out_refund_no="YR1",
            refund_fen=991,
            total_fen=990,
            reason="",
        )

    assert refused.value.code == "INVALID_REQUEST"
    assert wechatpay.refunds == {}


# --- notifications -------------------------------------------------------------------


def test_a_payment_notification_is_verified_decrypted_and_read(wechatpay):
    paid_order(wechatpay, amount_fen=1)
    note = wechatpay.payment_notification("YP20261128000001", notification_id="EV-0001")

    event = provider().parse_callback(headers=note.headers, body=note.body)

    assert (event.kind, event.state, event.notification_id) == ("payment", "paid", "EV-0001")
    assert (event.out_trade_no, event.amount_fen) == ("YP20261128000001", 1)
    assert event.provider_trade_no == wechatpay.trades["YP20261128000001"].transaction_id
    assert event.paid_at is not None
    assert event.raw["trade_state"] == "SUCCESS"


def test_headers_are_read_whatever_their_case(wechatpay):
    paid_order(wechatpay)
    note = wechatpay.payment_notification("YP20261128000001")
    headers = {name.upper(): value for name, value in note.headers.items()}

    assert provider().parse_callback(headers=headers, body=note.body).state == "paid"


@pytest.mark.parametrize("outcome", ["SUCCESS", "ABNORMAL", "CLOSED"])
def test_a_refund_notification_is_read(wechatpay, outcome):
    paid_order(wechatpay)
    wechatpay.refund_status = "PROCESSING"
    provider().refund(
        out_trade_no="YP20261128000001",
        out_refund_no="YR1",
        refund_fen=300,
        total_fen=990,
        reason="",
    )
    refund = wechatpay.finish_refund("YR1", outcome)
    note = wechatpay.refund_notification("YR1")

    event = provider().parse_callback(headers=note.headers, body=note.body)

    assert event.kind == "refund"
    assert event.state == {"SUCCESS": "succeeded"}.get(outcome, "failed")
    assert (event.out_trade_no, event.out_refund_no, event.amount_fen) == (
        "YP20261128000001",
        "YR1",
        300,
    )
    assert event.provider_refund_id == refund.refund_id
    assert event.notification_id.startswith("EV-")


def tampered_body(body: bytes) -> bytes:
    notification = json.loads(body)
    notification["event_type"] = "REFUND.SUCCESS"
    return json.dumps(notification, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("tampered body", "invalid_signature"),
        ("signed with another key", "invalid_signature"),
        ("unknown key id", "unknown_key"),
        ("six minutes old", "stale"),
        ("six minutes ahead", "stale"),
        ("encrypted with another APIv3 key", "undecryptable"),
        ("no signature", "unsigned"),
    ],
)
def test_a_notification_that_fails_verification_is_invalid(wechatpay, case, code):
    paid_order(wechatpay)
    tampering = {
        "signed with another key": {"signing_key": new_rsa_key()},
        "unknown key id": {"serial": "PUB_KEY_ID_0116FFFFFFFFFFFFFFFFFFFFFFFF"},
        "six minutes old": {"timestamp": int(time.time()) - 360},
        "six minutes ahead": {"timestamp": int(time.time()) + 360},
        "encrypted with another APIv3 key": {"apiv3_key": b"AnotherMerchant0ApiV3Key01234567"},
    }.get(case, {})
    note = wechatpay.payment_notification("YP20261128000001", **tampering)
    headers, body = dict(note.headers), note.body
    if case == "tampered body":
        body = tampered_body(body)
    if case == "no signature":
        del headers["Wechatpay-Signature"]

    with pytest.raises(InvalidCallback) as invalid:
        provider().parse_callback(headers=headers, body=body)

    assert invalid.value.code == code


def test_a_notification_four_minutes_old_is_still_accepted(wechatpay):
    paid_order(wechatpay)
    note = wechatpay.payment_notification("YP20261128000001", timestamp=int(time.time()) - 240)

    assert provider().parse_callback(headers=note.headers, body=note.body).state == "paid"


def test_callback_answers_follow_wechat_pay(wechatpay):
    ok, failed = provider().callback_answer(ok=True), provider().callback_answer(ok=False)

    assert ok.status == 200 and json.loads(ok.body)["code"] == "SUCCESS"
    assert failed.status == 500 and json.loads(failed.body)["code"] == "FAIL"


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


def test_a_notification_delivered_over_http_is_acknowledged(wechatpay):
    paid_order(wechatpay)
    with Receiver() as receiver:
        good = wechatpay.deliver(wechatpay.payment_notification("YP20261128000001"), receiver.url)
        forged = wechatpay.deliver(
            wechatpay.payment_notification("YP20261128000001", signing_key=new_rsa_key()),
            receiver.url,
        )

    assert good.status_code == 200 and good.json()["code"] == "SUCCESS"
    assert forged.status_code == 500 and forged.json()["code"] == "FAIL"
    assert [event.state for event in receiver.events] == ["paid"]


# --- when the provider cannot answer -------------------------------------------------


@pytest.mark.parametrize(
    ("failure", "code"), [("server_error", "SYSTEM_ERROR"), ("frequency", "FREQUENCY_LIMITED")]
)
def test_a_server_error_or_throttling_is_unavailable(wechatpay, failure, code):
    wechatpay.fail_next(failure)

    with pytest.raises(ProviderUnavailable) as unavailable:
        provider().query("YP20261128000001")

    assert unavailable.value.code == code


def test_an_answer_signed_with_another_key_is_not_believed(wechatpay):
    provider().start(payment())
    wechatpay.fail_next("forged")

    with pytest.raises(ProviderUnavailable) as unavailable:
        provider().query("YP20261128000001")

    assert unavailable.value.code == "invalid_signature"


def test_a_refused_connection_is_unavailable(wechatpay, settings, closed_port):
    settings.YACHI_WECHATPAY_API_BASE = f"http://127.0.0.1:{closed_port}"

    with pytest.raises(ProviderUnavailable) as unavailable:
        provider().start(payment())

    assert unavailable.value.code == "network"


def test_an_answer_that_comes_too_late_is_unavailable(wechatpay):
    wechatpay.delay_next(5.0)  # processed, answered after the client gave up

    with pytest.raises(ProviderUnavailable) as unavailable:
        provider().query("YP20261128000001")

    assert unavailable.value.code == "timeout"


# --- configuration -------------------------------------------------------------------


def test_configured_only_with_every_setting(wechatpay, settings):
    assert payment_provider_configured("wechatpay")
    settings.YACHI_WECHATPAY_APIV3_KEY = ""

    assert not payment_provider_configured("wechatpay")
    with pytest.raises(ImproperlyConfigured, match="YACHI_WECHATPAY_APIV3_KEY"):
        provider()


def test_a_malformed_key_is_a_configuration_error(wechatpay, settings):
    settings.YACHI_WECHATPAY_PRIVATE_KEY = (
        "-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----"
    )

    with pytest.raises(ImproperlyConfigured, match="wechatpay"):
        provider()


def test_a_platform_certificate_serves_instead_of_the_public_key(wechatpay, settings):
    """Merchants from before WeChat Pay's public keys verify with a platform certificate,
    named in ``Wechatpay-Serial`` by its serial number in hexadecimal."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA")])
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(wechatpay.platform_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(wechatpay.platform_key, hashes.SHA256())
    )
    wechatpay.platform_key_id = f"{certificate.serial_number:X}"
    settings.YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY = certificate.public_bytes(
        serialization.Encoding.PEM
    ).decode()
    settings.YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY_ID = wechatpay.platform_key_id.lower()
    paid_order(wechatpay)
    note = wechatpay.payment_notification("YP20261128000001")

    assert provider().query("YP20261128000001").state == "paid"
    assert provider().parse_callback(headers=note.headers, body=note.body).state == "paid"
