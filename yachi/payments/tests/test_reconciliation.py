"""Reconciliation against the providers' statements, downloaded from the fake WeChat Pay
and Alipay servers, which make them from their own trades and check our signatures."""

from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from yachi.compliance.models import AuditEntry
from yachi.payments import gateway, reconciliation, services, tasks
from yachi.payments.choices import (
    FindingKind,
    IntentStatus,
    Method,
    Purpose,
    ReconciliationStatus,
    RefundStatus,
)
from yachi.payments.errors import StatementNotAvailable
from yachi.payments.models import PaymentIntent, Reconciliation

pytestmark = pytest.mark.django_db(transaction=True)


def _intent(world, reference="test:recon", amount_fen=19900):
    return services.intent_create(
        purpose=Purpose.BILL,
        reference=reference,
        amount_fen=amount_fen,
        description="洁牙",
        payer=world.patient_parent,
        clinic=world.clinic_a,
    )


def _paid_by_wechat(world, wechatpay, reference="test:recon", amount_fen=19900):
    intent = _intent(world, reference, amount_fen)
    gateway.payment_start(intent=intent, method=Method.WECHATPAY, channel="h5", client_ip="1.2.3.4")
    wechatpay.pay(intent.out_trade_no)
    gateway.provider_close_or_collect(intent)  # a query finds it paid and records it
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID
    return intent


def _paid_by_alipay(world, alipay, reference="test:recon", amount_fen=19900):
    intent = _intent(world, reference, amount_fen)
    start = gateway.payment_start(intent=intent, method=Method.ALIPAY, channel="wap")
    alipay.open_page(start.url)
    alipay.pay(intent.out_trade_no)
    gateway.provider_close_or_collect(intent)
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID
    return intent


def _kinds(run):
    return sorted((f["kind"], f["out_trade_no"]) for f in run.findings)


def test_a_wechat_pay_trade_we_never_created_is_found(world, wechatpay):
    ours = _paid_by_wechat(world, wechatpay)
    stranger = wechatpay.stranger_trade(total=88800)
    run = reconciliation.reconcile(
        day=timezone.localdate(), method=Method.WECHATPAY, actor=world.clinic_a_manager
    )
    assert _kinds(run) == [(FindingKind.UNKNOWN_TRADE, stranger.out_trade_no)]
    finding = run.findings[0]
    assert finding["their_fen"] == 88800 and finding["provider_trade_no"] == stranger.transaction_id
    assert run.status == ReconciliationStatus.DIFFERENCES
    assert (run.statement_count, run.ledger_count) == (2, 1)
    assert (run.statement_fen, run.ledger_fen) == (88800 + 19900, 19900)
    assert run.ran_by == world.clinic_a_manager
    # The download was signed, and the fake checked it.
    assert wechatpay.downloads == 1 and wechatpay.refused == []
    download = next(r for r in wechatpay.received if r.path == "/v3/billdownload/file")
    assert download.header("Authorization").startswith("WECHATPAY2-SHA256-RSA2048 ")
    entry = AuditEntry.objects.get(action="reconciliation_run")
    assert entry.object_id == str(run.public_id) and entry.details["unknown_trades"] == 1
    assert PaymentIntent.objects.get() == ours  # nothing invented on our side


def test_a_day_that_agrees_is_recorded_as_matching(world, wechatpay):
    intent = _paid_by_wechat(world, wechatpay)
    services.refund_request(intent=intent, amount_fen=6000, reason="部分退款")
    run = reconciliation.reconcile(day=timezone.localdate(), method=Method.WECHATPAY)
    assert run.findings == [] and run.status == ReconciliationStatus.MATCHED
    assert (run.statement_count, run.ledger_count) == (2, 2)
    assert run.statement_fen == run.ledger_fen == 13900


def test_a_payment_whose_notification_was_lost_is_recorded_from_the_statement(world, wechatpay):
    intent = _intent(world)
    gateway.payment_start(intent=intent, method=Method.WECHATPAY, channel="h5", client_ip="1.2.3.4")
    wechatpay.pay(intent.out_trade_no)  # no notification arrives
    run = reconciliation.reconcile(day=timezone.localdate(), method=Method.WECHATPAY)
    assert _kinds(run) == [(FindingKind.RECORDED_NOW, intent.out_trade_no)]
    assert run.findings[0]["repaired"] is True
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID and services.balance_fen(intent) == 19900
    again = reconciliation.reconcile(day=timezone.localdate(), method=Method.WECHATPAY)
    assert again.findings == []
    assert Reconciliation.objects.count() == 2  # both runs are kept


def test_ours_missing_from_the_statement_and_amounts_that_differ_are_found(world, wechatpay):
    missing = _paid_by_wechat(world, wechatpay, "test:missing")
    differs = _paid_by_wechat(world, wechatpay, "test:differs", amount_fen=990)
    del wechatpay.trades[missing.out_trade_no]
    wechatpay.trades[differs.out_trade_no].total = 99
    run = reconciliation.reconcile(day=timezone.localdate(), method=Method.WECHATPAY)
    assert _kinds(run) == sorted(
        [
            (FindingKind.NOT_AT_PROVIDER, missing.out_trade_no),
            (FindingKind.AMOUNT, differs.out_trade_no),
        ]
    )
    amount = next(f for f in run.findings if f["kind"] == FindingKind.AMOUNT)
    assert (amount["our_fen"], amount["their_fen"]) == (990, 99)
    assert amount["clinic"] == world.clinic_a.name


def test_a_refund_we_never_made_is_found(world, wechatpay):
    intent = _paid_by_wechat(world, wechatpay)
    refund = services.refund_request(intent=intent, amount_fen=5000, reason="退差价")
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    fake_refund = wechatpay.refunds.pop(refund.out_refund_no)
    fake_refund.out_refund_no = "RFNOTOURS01"
    wechatpay.refunds["RFNOTOURS01"] = fake_refund
    run = reconciliation.reconcile(day=timezone.localdate(), method=Method.WECHATPAY)
    assert sorted(f["kind"] for f in run.findings) == sorted(
        [FindingKind.UNKNOWN_REFUND, FindingKind.REFUND_NOT_AT_PROVIDER]
    )


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        ("no_statement", "no_statement"),
        ("statement_creating", "no_statement"),
        ("bad_hash", "bad_hash"),
        ("server_error", "provider_unavailable"),
        ("forged", "provider_unavailable"),
    ],
)
def test_without_a_good_statement_nothing_is_compared_or_changed(world, wechatpay, failure, code):
    intent = _intent(world)
    gateway.payment_start(intent=intent, method=Method.WECHATPAY, channel="h5", client_ip="1.2.3.4")
    wechatpay.pay(intent.out_trade_no)
    wechatpay.fail_next(failure)
    with pytest.raises(StatementNotAvailable) as raised:
        reconciliation.reconcile(day=timezone.localdate(), method=Method.WECHATPAY)
    assert raised.value.code == code and raised.value.message
    assert not Reconciliation.objects.exists()
    intent.refresh_from_db()
    assert intent.status == IntentStatus.CREATED and not intent.entries.exists()
    assert not AuditEntry.objects.filter(action="reconciliation_run").exists()


def test_the_fake_refuses_an_unsigned_statement_download(wechatpay, world):
    _paid_by_wechat(world, wechatpay)
    day = timezone.localdate()
    wechatpay.fail_next("bad_hash")  # any answer will do: the URL is what matters
    with pytest.raises(StatementNotAvailable):
        reconciliation.reconcile(day=day, method=Method.WECHATPAY)
    answer = httpx.get(f"{wechatpay.url}/v3/billdownload/file?token=whatever", timeout=2)
    assert answer.status_code == 401 and answer.json()["code"] == "SIGN_ERROR"


def test_an_alipay_trade_we_never_created_is_found(world, alipay):
    ours = _paid_by_alipay(world, alipay)
    services.refund_request(intent=ours, amount_fen=4000, reason="部分退款")
    stranger = alipay.stranger_trade(total_amount="1280.00")
    run = reconciliation.reconcile(day=timezone.localdate(), method=Method.ALIPAY)
    assert _kinds(run) == [(FindingKind.UNKNOWN_TRADE, stranger.out_trade_no)]
    assert run.findings[0]["their_fen"] == 128000
    assert (run.statement_count, run.ledger_count) == (3, 2)
    assert alipay.downloads == 1 and alipay.refused == []


def test_an_alipay_bill_link_works_once(world, alipay):
    _paid_by_alipay(world, alipay)
    reconciliation.reconcile(day=timezone.localdate(), method=Method.ALIPAY)
    download = next(r for r in alipay.received if r.path == "/downloadBillFile.resource")
    again = httpx.get(f"{alipay.url}{download.path}?{download.raw_query}", timeout=2)
    assert "下载链接已失效" in again.text and alipay.downloads == 1


def test_an_alipay_day_without_a_bill_changes_nothing(world, alipay):
    with pytest.raises(StatementNotAvailable) as raised:
        reconciliation.reconcile(day=timezone.localdate() - timedelta(days=3), method=Method.ALIPAY)
    assert raised.value.code == "no_statement"
    _paid_by_alipay(world, alipay)
    alipay.fail_next("bill_not_exist")
    with pytest.raises(StatementNotAvailable):
        reconciliation.reconcile(day=timezone.localdate(), method=Method.ALIPAY)
    assert not Reconciliation.objects.exists()


def test_the_nightly_job_reconciles_yesterday_with_the_same_code(world, wechatpay, settings):
    settings.YACHI_PAYMENT_SIMULATOR = False
    intent = _intent(world)
    gateway.payment_start(intent=intent, method=Method.WECHATPAY, channel="h5", client_ip="1.2.3.4")
    wechatpay.pay(intent.out_trade_no)
    yesterday = timezone.now() - timedelta(days=1)
    trade = wechatpay.trades[intent.out_trade_no]
    trade.success_time = yesterday.isoformat(timespec="seconds")
    stranger = wechatpay.stranger_trade(total=100, paid_at=yesterday)
    assert tasks.reconcile_yesterday.call_local() == 2
    run = Reconciliation.objects.get()
    assert run.day == timezone.localdate() - timedelta(days=1) and run.ran_by is None
    assert _kinds(run) == sorted(
        [
            (FindingKind.UNKNOWN_TRADE, stranger.out_trade_no),
            (FindingKind.RECORDED_NOW, intent.out_trade_no),
        ]
    )
    # No statement (yet): the job logs it and goes on.
    wechatpay.fail_next("no_statement")
    assert tasks.reconcile_yesterday.call_local() == 0


# --- the console page ---------------------------------------------------------------


def _yesterday_trade(wechatpay, world):
    """A paid trade of ours yesterday and one we never created, both in the bill."""
    intent = _intent(world)
    gateway.payment_start(intent=intent, method=Method.WECHATPAY, channel="h5", client_ip="1.2.3.4")
    wechatpay.pay(intent.out_trade_no)
    yesterday = timezone.now() - timedelta(days=1)
    wechatpay.trades[intent.out_trade_no].success_time = yesterday.isoformat(timespec="seconds")
    gateway.provider_close_or_collect(intent)
    PaymentIntent.objects.filter(pk=intent.pk).update(paid_at=yesterday)
    return wechatpay.stranger_trade(total=66600, paid_at=yesterday)


def test_a_manager_reconciles_now_from_the_console_and_sees_the_trade_we_never_created(
    client, world, wechatpay
):
    stranger = _yesterday_trade(wechatpay, world)
    client.force_login(world.clinic_a_manager)
    page = client.get("/console/payments/reconciliation/")
    assert page.status_code == 200
    assert "立即对账" in page.content.decode() and 'value="wechatpay"' in page.content.decode()
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    answer = client.post(
        "/console/payments/reconciliation/run/", {"provider": "wechatpay", "day": day}
    )
    run = Reconciliation.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/console/payments/reconciliation/{run.public_id}/"
    shown = client.get(answer["Location"]).content.decode()
    assert "我方无此交易" in shown and stranger.out_trade_no in shown and "¥666.00" in shown
    assert 'class="serious"' in shown
    assert run.ran_by == world.clinic_a_manager
    history = client.get("/console/payments/reconciliation/").content.decode()
    assert day in history and "1 处差异" in history


def test_reconcile_now_through_htmx_goes_to_the_run(client, world, wechatpay):
    _yesterday_trade(wechatpay, world)
    client.force_login(world.clinic_a_manager)
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    answer = client.post(
        "/console/payments/reconciliation/run/",
        {"provider": "wechatpay", "day": day},
        headers={"HX-Request": "true"},
    )
    run = Reconciliation.objects.get()
    assert answer.status_code == 204
    assert answer["HX-Redirect"] == f"/console/payments/reconciliation/{run.public_id}/"


@pytest.mark.parametrize(
    ("failure", "form", "says"),
    [
        ("no_statement", {}, "还没有对账单"),
        ("bad_hash", {}, "校验值不符"),
        ("server_error", {}, "支付服务暂时无响应"),
        (None, {"day": "yesterday"}, "请选择要对账的日期"),
        (None, {"provider": "cash"}, "请选择已配置的支付渠道"),
        (None, {"day": "today"}, "次日上午"),
    ],
)
def test_reconcile_now_says_why_not_and_changes_nothing(
    client, world, wechatpay, failure, form, says
):
    _yesterday_trade(wechatpay, world)
    before = list(PaymentIntent.objects.values())
    client.force_login(world.clinic_a_manager)
    if failure:
        wechatpay.fail_next(failure)
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    if form.get("day") == "today":
        form = {"day": timezone.localdate().isoformat()}
    answer = client.post(
        "/console/payments/reconciliation/run/",
        {"provider": "wechatpay", "day": day} | form,
        follow=True,
    )
    assert answer.status_code == 200
    assert says in answer.content.decode()
    assert not Reconciliation.objects.exists()
    assert list(PaymentIntent.objects.values()) == before


def test_the_front_desk_cannot_reconcile(client, world, wechatpay):
    _yesterday_trade(wechatpay, world)
    client.force_login(world.clinic_a_front_desk)
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    answer = client.post(
        "/console/payments/reconciliation/run/", {"provider": "wechatpay", "day": day}
    )
    assert answer.status_code == 403
    assert not Reconciliation.objects.exists() and wechatpay.downloads == 0
