"""From starting a payment to the ledger, against the fake WeChat Pay and Alipay servers.

The fakes hold their own keys and verify ours; notifications they sign go through our
callback endpoint exactly as the real ones would.
"""

import pytest
from django.utils import timezone

from yachi.accounts.tokencache import forget_user as tokens_forget_user
from yachi.payments import gateway, reconciliation, services
from yachi.payments.choices import CallbackOutcome, IntentStatus, Method, Purpose, RefundStatus
from yachi.payments.models import CallbackRecord, PaymentIntent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def intent(world):
    return services.intent_create(
        purpose=Purpose.BILL,
        reference="test:e2e",
        amount_fen=990,
        description="儿童涂氟",
        payer=world.patient_parent,
        clinic=world.clinic_a,
    )


def _post(client, method, callback):
    headers = {k: v for k, v in callback.headers.items() if k.lower() != "content-type"}
    return client.post(
        f"/payments/notify/{method}/",
        callback.body,
        content_type=callback.headers.get("Content-Type", "application/json"),
        headers=headers,
    )


def test_wechat_pay_notification_delivered_five_times_pays_once(client, world, wechatpay, intent):
    world.patient_parent.wechat_openid = "o-parent"
    world.patient_parent.save(update_fields=["wechat_openid"])
    start = gateway.payment_start(
        intent=intent, method=Method.WECHATPAY, channel="jsapi", payer_openid="o-parent"
    )
    assert start.kind == "jsapi" and wechatpay.pay_with(start.params)
    wechatpay.pay(intent.out_trade_no)
    callback = wechatpay.payment_notification(intent.out_trade_no)
    answers = [_post(client, "wechatpay", callback) for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID and services.balance_fen(intent) == 990
    assert CallbackRecord.objects.filter(outcome=CallbackOutcome.DUPLICATE).count() == 4


def test_forged_wechat_pay_notification_changes_nothing(client, wechatpay, intent):
    gateway.payment_start(intent=intent, method=Method.WECHATPAY, channel="h5", client_ip="1.2.3.4")
    wechatpay.pay(intent.out_trade_no)
    from tests.fakes.wechatpay import new_rsa_key

    forged = wechatpay.payment_notification(intent.out_trade_no, signing_key=new_rsa_key())
    assert _post(client, "wechatpay", forged).status_code == 500
    intent.refresh_from_db()
    assert intent.status == IntentStatus.CREATED and not intent.entries.exists()
    assert CallbackRecord.objects.get().outcome == CallbackOutcome.BAD_SIGNATURE


def test_wechat_pay_refund_goes_through_the_provider(wechatpay, intent):
    gateway.payment_start(intent=intent, method=Method.WECHATPAY, channel="h5", client_ip="1.2.3.4")
    wechatpay.pay(intent.out_trade_no)
    gateway.provider_close_or_collect(intent)  # a query finds it paid
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID
    refund = services.refund_request(intent=intent, amount_fen=990, reason="取消")
    refund.refresh_from_db()
    intent.refresh_from_db()
    assert refund.status in (RefundStatus.SUCCEEDED, RefundStatus.PENDING)
    assert wechatpay.refunds[refund.out_refund_no].amount == 990


def test_alipay_payment_arrives_by_notification(client, alipay, intent):
    start = gateway.payment_start(intent=intent, method=Method.ALIPAY, channel="wap")
    assert start.kind == "redirect"
    assert alipay.open_page(start.url).status_code == 200
    alipay.pay(intent.out_trade_no)
    notification = alipay.payment_notification(intent.out_trade_no)
    for _ in range(3):
        answer = _post(client, "alipay", notification)
        assert answer.content == b"success"
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID and intent.method == Method.ALIPAY
    assert services.balance_fen(intent) == 990


def test_alipay_notification_for_a_wrong_amount_is_refused(client, alipay, intent):
    start = gateway.payment_start(intent=intent, method=Method.ALIPAY, channel="wap")
    alipay.open_page(start.url)
    alipay.trades[intent.out_trade_no].total_amount = "0.01"
    alipay.pay(intent.out_trade_no)
    answer = _post(client, "alipay", alipay.payment_notification(intent.out_trade_no))
    assert answer.content == b"failure"
    intent.refresh_from_db()
    assert intent.status == IntentStatus.CREATED
    assert CallbackRecord.objects.get().outcome == CallbackOutcome.AMOUNT_MISMATCH


def test_reconciliation_with_wechat_pay_finds_a_lost_payment(wechatpay, intent):
    gateway.payment_start(intent=intent, method=Method.WECHATPAY, channel="h5", client_ip="1.2.3.4")
    wechatpay.pay(intent.out_trade_no)
    report = reconciliation.reconcile(day=timezone.localdate(), method=Method.WECHATPAY)
    assert [m["out_trade_no"] for m in report.findings] == [intent.out_trade_no]
    assert PaymentIntent.objects.get().status == IntentStatus.PAID


def test_mini_program_gets_wechat_pay_parameters_once_wechat_is_bound(
    api, world, wechatpay, intent
):
    api.as_user(world.patient_parent)
    unbound = api.post(
        f"/payments/{intent.public_id}/start", {"method": "wechatpay", "channel": "jsapi"}
    )
    assert unbound.status_code == 422 and unbound.json()["code"] == "method_unavailable"
    world.patient_parent.wechat_openid = "o-parent"
    world.patient_parent.save(update_fields=["wechat_openid"])
    # Bound behind the services' back: the tokens' memory is told, as wechat_bind does.
    tokens_forget_user(world.patient_parent.pk)
    started = api.post(
        f"/payments/{intent.public_id}/start", {"method": "wechatpay", "channel": "jsapi"}
    )
    assert started.status_code == 200, started.content
    params = started.json()["params"]
    assert set(params) >= {"appId", "timeStamp", "nonceStr", "package", "signType", "paySign"}
    assert wechatpay.pay_with(params)  # the signature WeChat's client checks is ours
    methods = {m["method"] for m in api.get("/payment-methods").json()}
    assert {"wechatpay", "simulator"} <= methods


WECHAT_GARBLES = {
    "a paid time that is no time": lambda r: r | {"success_time": "yesterday"},
    "a paid time in year 9999": lambda r: r | {"success_time": "9999-12-31T23:59:59+08:00"},
    "a trade state WeChat Pay does not have": lambda r: r | {"trade_state": "PAID_TWICE"},
    "an amount in words": lambda r: r | {"amount": {"total": "990"}},
    "a trade number that is a number": lambda r: r | {"out_trade_no": 20261128000001},
    "a trade number with NUL": lambda r: r | {"out_trade_no": r["out_trade_no"] + "\x00"},
    "a transaction id too long to keep": lambda r: r | {"transaction_id": "4" * 65},
    "a list for a resource": lambda r: [r],
}


@pytest.mark.django_db
@pytest.mark.parametrize("garble", WECHAT_GARBLES)
def test_a_signed_but_garbled_wechat_pay_notification_is_recorded_and_changes_nothing(
    client, wechatpay, intent, garble
):
    gateway.payment_start(intent=intent, method=Method.WECHATPAY, channel="h5", client_ip="1.2.3.4")
    wechatpay.pay(intent.out_trade_no)
    garbled = wechatpay.garbled_notification(intent.out_trade_no, WECHAT_GARBLES[garble])
    assert _post(client, "wechatpay", garbled).status_code == 500  # "send it again"
    intent.refresh_from_db()
    assert intent.status == IntentStatus.CREATED and not intent.entries.exists()
    assert CallbackRecord.objects.get().outcome == CallbackOutcome.MALFORMED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"gmt_payment": "yesterday"},
        {"gmt_payment": "9999-12-31 23:59:59"},
        {"total_amount": "nine yuan"},
        {"notify_id": "N\x00"},
    ],
)
def test_a_signed_but_garbled_alipay_notification_is_recorded_and_changes_nothing(
    client, alipay, intent, fields
):
    start = gateway.payment_start(intent=intent, method=Method.ALIPAY, channel="wap")
    alipay.open_page(start.url)
    alipay.pay(intent.out_trade_no)
    answer = _post(client, "alipay", alipay.garbled_notification(intent.out_trade_no, **fields))
    assert answer.content == b"failure"
    intent.refresh_from_db()
    assert intent.status == IntentStatus.CREATED and not intent.entries.exists()
    assert CallbackRecord.objects.get().outcome == CallbackOutcome.MALFORMED


@pytest.mark.django_db
def test_a_signed_alipay_status_we_do_not_act_on_is_ignored_not_garbled(client, alipay, intent):
    start = gateway.payment_start(intent=intent, method=Method.ALIPAY, channel="wap")
    alipay.open_page(start.url)
    alipay.pay(intent.out_trade_no)
    notification = alipay.garbled_notification(intent.out_trade_no, trade_status="WAIT_BUYER_PAY")
    assert _post(client, "alipay", notification).content == b"success"
    assert CallbackRecord.objects.get().outcome == CallbackOutcome.IGNORED
