"""A bill's lines and its payment under real concurrency: threads, each with its own
connection. On PostgreSQL they overlap; on SQLite, IMMEDIATE transactions queue them. Either
way, what is paid is what the lines add up to."""

import threading
from collections import Counter

import pytest
from django.db import connection

from yachi.core.errors import DomainError
from yachi.payments import bills, services
from yachi.payments.bills import LineDraft
from yachi.payments.choices import IntentStatus, Method
from yachi.payments.models import BillLine, PaymentIntent

pytestmark = pytest.mark.django_db(transaction=True)


def race(*attempts) -> Counter:
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)

    def run(index):
        try:
            barrier.wait()
            try:
                attempts[index]()
                outcomes[index] = f"{index}:ok"
            except DomainError as exc:
                outcomes[index] = f"{index}:{exc.code}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(outcomes)


def test_lines_added_while_the_desk_takes_the_money_never_leave_a_wrong_amount(world):
    from yachi.clinics.models import Material

    Material.objects.create(chain=world.chain, code="resin", name="树脂材料", price_fen=18000)
    intent = bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        lines=[LineDraft(kind="service", item_code="filling")],
    )
    seen = PaymentIntent.objects.get(pk=intent.pk)  # the desk's page, opened before

    def add_line():
        bills.bill_line_add(
            actor=world.clinic_a_manager,
            intent=PaymentIntent.objects.get(pk=intent.pk),
            kind="material",
            item_code="resin",
        )

    def take_money():
        services.desk_payment_record(
            actor=world.clinic_a_front_desk, intent=seen, method=Method.CARD
        )

    outcomes = race(add_line, add_line, take_money)
    intent.refresh_from_db()
    lines = list(BillLine.objects.filter(bill__payer=world.patient_parent))
    assert intent.amount_fen == sum(line.total_fen for line in lines)
    if intent.status == IntentStatus.PAID:
        # Paid first: the lines came too late and changed nothing.
        assert outcomes == Counter({"0:bill_settled": 1, "1:bill_settled": 1, "2:ok": 1})
        assert len(lines) == 1 and intent.entries.get().amount_fen == 35000
    else:
        # A line came first: the desk is told the amount changed and took nothing.
        assert outcomes["2:amount_changed"] == 1, outcomes
        assert not intent.entries.exists()
        assert len(lines) == 1 + outcomes["0:ok"] + outcomes["1:ok"]
