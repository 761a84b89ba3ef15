"""Payment intents: paying once, closing, refunding, and the ledger that records it all."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import StaffFactory, patient_user
from yachi.payments import gateway, services
from yachi.payments.choices import CallbackOutcome, IntentStatus, Method, Purpose
from yachi.payments.errors import NotPayable, PaymentExists, RefundTooLarge
from yachi.payments.models import CallbackRecord, LedgerEntry, PaymentIntent
from yachi.payments.providers.simulator import SIGNATURE_HEADER, SimulatorProvider, sign

# Committed for real: refunds and settling run after commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def intent():
    payer = patient_user()
    return services.intent_create(
        purpose=Purpose.BILL, reference="test:1", amount_fen=9900, description="洁牙", payer=payer
    )


def _notify(intent, *, amount_fen=None, tamper=False):
    gateway.payment_start(intent=intent, method=Method.SIMULATOR)
    body = SimulatorProvider().pay(intent.out_trade_no)
    if amount_fen is not None:
        body = body.replace(
            f'"amount_fen": {intent.amount_fen}'.encode(), f'"amount_fen": {amount_fen}'.encode()
        )
    signature = sign(body)
    if tamper:
        signature = "0" * len(signature)
    return gateway.callback_receive(
        method=Method.SIMULATOR, headers={SIGNATURE_HEADER: signature}, body=body
    )


def test_same_notification_five_times_pays_once(intent):
    gateway.payment_start(intent=intent, method=Method.SIMULATOR)
    body = SimulatorProvider().pay(intent.out_trade_no)
    answers = [
        gateway.callback_receive(
            method=Method.SIMULATOR, headers={SIGNATURE_HEADER: sign(body)}, body=body
        )
        for _ in range(5)
    ]
    assert {a.status for a in answers} == {200}
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID
    assert list(intent.entries.values_list("amount_fen", flat=True)) == [9900]
    outcomes = list(CallbackRecord.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == [CallbackOutcome.APPLIED] + [CallbackOutcome.DUPLICATE] * 4


def test_bad_signature_changes_nothing_and_is_recorded(intent):
    answer = _notify(intent, tamper=True)
    assert answer.status == 500
    intent.refresh_from_db()
    assert intent.status == IntentStatus.CREATED
    assert not LedgerEntry.objects.exists()
    assert CallbackRecord.objects.get().outcome == CallbackOutcome.BAD_SIGNATURE


def test_wrong_amount_changes_nothing_and_is_recorded(intent):
    answer = _notify(intent, amount_fen=1)
    assert answer.status == 500
    intent.refresh_from_db()
    assert intent.status == IntentStatus.CREATED
    assert not LedgerEntry.objects.exists()
    record = CallbackRecord.objects.get()
    assert record.outcome == CallbackOutcome.AMOUNT_MISMATCH
    assert record.out_trade_no == intent.out_trade_no


def test_second_live_intent_for_same_thing_is_refused(intent):
    with pytest.raises(PaymentExists):
        services.intent_create(
            purpose=Purpose.BILL, reference="test:1", amount_fen=100, description="x"
        )


def test_unpaid_intent_closes_after_its_window(intent):
    assert services.intents_close_expired(now=timezone.now()) == 0
    PaymentIntent.objects.filter(pk=intent.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.intents_close_expired() == 1
    intent.refresh_from_db()
    assert intent.status == IntentStatus.CLOSED
    with pytest.raises(NotPayable):
        gateway.payment_start(intent=intent, method=Method.SIMULATOR)


def test_payment_made_just_before_closing_is_kept(intent):
    gateway.payment_start(intent=intent, method=Method.SIMULATOR)
    SimulatorProvider().pay(intent.out_trade_no)  # paid, but the notification is late
    PaymentIntent.objects.filter(pk=intent.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.intents_close_expired() == 0
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID
    assert services.balance_fen(intent) == 9900


def test_refunds_cannot_exceed_what_was_paid(intent):
    _notify(intent)
    intent.refresh_from_db()
    services.refund_request(intent=intent, amount_fen=5000, reason="部分退款")
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID and services.balance_fen(intent) == 4900
    with pytest.raises(RefundTooLarge):
        services.refund_request(intent=intent, amount_fen=5000, reason="again")
    services.refund_request(intent=intent, amount_fen=4900, reason="rest")
    intent.refresh_from_db()
    assert intent.status == IntentStatus.REFUNDED
    assert services.balance_fen(intent) == 0
    assert sorted(intent.entries.values_list("amount_fen", flat=True)) == [-5000, -4900, 9900]


def test_cash_at_the_desk_pays_and_refunds_at_once(intent):
    clerk = StaffFactory()
    services.desk_payment_record(actor=clerk, intent=intent, method=Method.CASH)
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID and intent.method == Method.CASH
    with pytest.raises(NotPayable):
        services.desk_payment_record(actor=clerk, intent=intent, method=Method.CARD)
    services.refund_request(intent=intent, amount_fen=9900, reason="取消", actor=clerk)
    intent.refresh_from_db()
    assert intent.status == IntentStatus.REFUNDED


def test_ledger_entries_cannot_be_edited(intent):
    _notify(intent)
    with pytest.raises(Exception, match="append-only"):
        LedgerEntry.objects.update(amount_fen=1)


def test_concurrent_refunds_never_overdraw():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    payer = patient_user()
    intent = services.intent_create(
        purpose=Purpose.BILL, reference="test:2", amount_fen=1000, description="x", payer=payer
    )
    services.payment_received(
        method=Method.CASH, out_trade_no=intent.out_trade_no, amount_fen=1000, source="test"
    )
    outcomes = []

    def refund():
        try:
            services.refund_request(intent=intent, amount_fen=300, reason="r")
            outcomes.append("ok")
        except RefundTooLarge:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=refund) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 3
    intent.refresh_from_db()
    assert intent.refunded_fen == 900 and services.balance_fen(intent) == 100


def test_the_same_notification_arriving_at_once_on_many_threads_pays_once(intent):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    gateway.payment_start(intent=intent, method=Method.SIMULATOR)
    body = SimulatorProvider().pay(intent.out_trade_no)
    barrier = threading.Barrier(8)
    statuses = []

    def deliver():
        try:
            barrier.wait()
            answer = gateway.callback_receive(
                method=Method.SIMULATOR, headers={SIGNATURE_HEADER: sign(body)}, body=body
            )
            statuses.append(answer.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
    assert list(LedgerEntry.objects.values_list("amount_fen", flat=True)) == [9900]
    outcomes = sorted(CallbackRecord.objects.values_list("outcome", flat=True))
    assert outcomes == [CallbackOutcome.APPLIED] + [CallbackOutcome.DUPLICATE] * 7
