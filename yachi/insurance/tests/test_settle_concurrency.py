"""A settle pressed twice (two desks, a double click, a retried request) settles once:
real threads, each with its own connection. On PostgreSQL they overlap on the row lock;
on SQLite, IMMEDIATE transactions queue them."""

import threading

import pytest
from django.db import connection

from yachi.core.errors import DomainError
from yachi.insurance.medical import services
from yachi.insurance.medical.models import Settlement
from yachi.insurance.tests.conftest import CREDENTIAL, bill, set_up_clinic
from yachi.payments.models import LedgerEntry, PaymentIntent

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_settles_at_once_settle_the_bill_once(world, platform):
    set_up_clinic(world)
    intent = bill(world, "filling", "cleaning")
    services.pre_settle(actor=world.clinic_a_front_desk, payment=intent, credential=CREDENTIAL)
    barrier = threading.Barrier(4)
    answers, failures = [], []

    def press():
        try:
            barrier.wait()
            answers.append(
                services.settle(
                    actor=world.clinic_a_front_desk, payment=PaymentIntent.objects.get(pk=intent.pk)
                ).pk
            )
        except DomainError as exc:
            failures.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures and len(set(answers)) == 1
    assert Settlement.objects.filter(status="settled").count() == 1
    assert len(platform.settled) == 1
    charges = LedgerEntry.objects.filter(method="insurance")
    assert charges.count() == 1
    settlement = Settlement.objects.get(status="settled")
    assert PaymentIntent.objects.get(pk=intent.pk).amount_fen == settlement.self_fen
