"""Redis killed in the middle of a flash-sale rush (ADR 0040).

A Redis server of the drill's own holds the sale's places, the tokens' records and the
cache. Patients who already paid hold their places; the rest press "reserve" from
threads of their own against the live server, and Redis is killed (SIGKILL, no
persistence: it comes back empty) while they do. Each client retries what answered
503 after its ``Retry-After``, with the same ``Idempotency-Key``, as the mini-program
does. No place is sold twice, every answer is a place, "sold out" or a clear 503, no
paid order is lost, and the repair job makes Redis agree with the database again.
"""

import threading
import time
import uuid
from collections import Counter

import httpx
import pytest

from tests.drills.servers import wait_until
from tests.factories import patient_user
from yachi.accounts.services import token_issue
from yachi.payments.facade import intent_by_reference
from yachi.shop.choices import HOLDING, ReservationStatus
from yachi.shop.flash import store as flash_store
from yachi.shop.flash.repair import flash_repair
from yachi.shop.models import FlashReservation, Order
from yachi.shop.tests.conftest import pay
from yachi.shop.tests.test_flash import make_sale, redis_agrees, remaining

pytestmark = [pytest.mark.long, pytest.mark.django_db(transaction=True)]

PLACES = 20
PAID_BEFORE = 4
RUSH = 40
# Longer than the Redis client's own retries ride out (about four seconds), so that
# requests really meet a Redis that is gone.
OUTAGE_SECONDS = 6


def _reserve(client, sale, token, key):
    return client.post(
        f"/api/v1/flash-sales/{sale.public_id}/reserve",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
    )


def test_redis_killed_in_a_rush_sells_no_place_twice_and_loses_no_paid_order(
    own_redis, world, live_server
):
    sale = make_sale(world.clinic_a, places=PLACES, limit=1)
    buyers = [patient_user(f"1370000{index:04d}") for index in range(PAID_BEFORE + RUSH)]
    tokens = [token_issue(user=buyer, label="drill") for buyer in buyers]
    paid = []
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        for token in tokens[:PAID_BEFORE]:
            answer = _reserve(client, sale, token, uuid.uuid4().hex)
            assert answer.status_code == 201, answer.text
            order = Order.objects.get(public_id=answer.json()["id"])
            pay(intent_by_reference(f"shop.order:{order.public_id}"))
            paid.append(order.pk)

    answers = []  # (buyer index, status, body, Retry-After)
    final = {}
    lock = threading.Lock()
    barrier = threading.Barrier(RUSH + 1)

    def press(index):
        key = uuid.uuid4().hex
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            barrier.wait()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                response = _reserve(client, sale, tokens[index], key)
                body = response.json()
                with lock:
                    answers.append(
                        (index, response.status_code, body, response.headers.get("Retry-After"))
                    )
                if response.status_code != 503:
                    final[index] = (response.status_code, body)
                    return
                # The client waits as told, shortened so that the drill stays short.
                time.sleep(min(int(response.headers["Retry-After"]), 1))

    threads = [
        threading.Thread(target=press, args=(index,))
        for index in range(PAID_BEFORE, PAID_BEFORE + RUSH)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    wait_until(lambda: len(answers) >= 5, what="the first answers of the rush")
    own_redis.kill()
    time.sleep(OUTAGE_SECONDS)
    own_redis.start()
    for thread in threads:
        thread.join()

    statuses = Counter(status for _, status, _, _ in answers)
    assert set(statuses) <= {201, 409, 503}, statuses
    assert statuses[503], "no request met the outage"
    for _, status, body, retry_after in answers:
        if status == 503:
            assert body["code"] == "unavailable" and body["message"]
            assert int(retry_after) > 0
        if status == 409:
            assert body["code"] == "sold_out", body
    assert len(final) == RUSH, "a client never got a final answer"
    granted = [body["id"] for status, body in final.values() if status == 201]
    assert len(granted) == PLACES - PAID_BEFORE, Counter(s for s, _ in final.values())

    # No place twice: one holding reservation per place and buyer, the count taken.
    holding = FlashReservation.objects.filter(sale=sale, status__in=HOLDING)
    assert holding.count() == PLACES and remaining(sale) == 0
    assert len(set(holding.values_list("buyer_id", flat=True))) == PLACES
    assert set(holding.exclude(order_id__in=paid).values_list("order__public_id", flat=True)) == {
        uuid.UUID(order_id) for order_id in granted
    }
    # The places paid before the outage are still paid, Redis forgot them or not.
    assert set(
        FlashReservation.objects.filter(status=ReservationStatus.PAID).values_list(
            "order_id", flat=True
        )
    ) == set(paid)

    flash_repair()
    redis_agrees(sale)
    assert flash_store.remaining(sale.pk) == 0
