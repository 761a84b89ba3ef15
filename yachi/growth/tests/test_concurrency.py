"""Coupons and points under real concurrency: threads, each with its own connection.

Meaningful on PostgreSQL (the PostgreSQL pass of the suite), where the threads really
overlap; on SQLite, IMMEDIATE transactions queue them, and the same answers must come
out.
"""

import threading
from collections import Counter

import pytest
from django.db import connection

from yachi.core.errors import DomainError
from yachi.growth import facade
from yachi.growth.choices import CouponStatus, PointsReason
from yachi.growth.models import Coupon, PointsEntry
from yachi.growth.tests.conftest import template

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
CLEANING = facade.QuoteLine(kind="service", code="cleaning", unit_price_fen=19800, quantity=1)


def race(attempt, count=THREADS) -> Counter:
    """Run ``attempt(index)`` in ``count`` threads released at the same instant."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(index):
        try:
            barrier.wait()
            try:
                attempt(index)
                outcomes[index] = "ok"
            except DomainError as exc:
                outcomes[index] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(outcomes)


def test_coupon_is_redeemed_once_under_concurrent_checkouts(world):
    user = world.patient_parent
    coupon_id = facade.coupon_issue(
        template_id=template(valid_days=30).public_id, user=user, reason="test"
    )

    def checkout(index):
        facade.coupon_hold(
            user=user, coupon_id=coupon_id, lines=[CLEANING], reference=f"shop.order:{index}"
        )

    outcomes = race(checkout)
    assert outcomes == Counter({"ok": 1, "coupon_unavailable": THREADS - 1}), outcomes
    coupon = Coupon.objects.get(public_id=coupon_id)
    assert coupon.status == CouponStatus.HELD
    facade.coupon_redeem(reference=coupon.held_reference)
    assert Coupon.objects.get(public_id=coupon_id).status == CouponStatus.REDEEMED


def test_template_total_is_never_over_issued(world):
    from tests.factories import patient_user

    limited = template(total_quantity=3)
    people = [patient_user(f"1380000{900 + i:04d}") for i in range(THREADS)]

    outcomes = race(
        lambda i: facade.coupon_issue(template_id=limited.public_id, user=people[i], reason="t")
    )
    assert outcomes == Counter({"ok": 3, "coupon_sold_out": THREADS - 3}), outcomes
    limited.refresh_from_db()
    assert limited.issued_count == 3 == Coupon.objects.filter(template=limited).count()


def test_concurrent_spends_never_overdraw_the_balance(world):
    user = world.patient_parent
    facade.points_earn(user=user, points=300, reason=PointsReason.ACTIVITY, idempotency_key="seed")

    outcomes = race(
        lambda i: facade.points_spend(
            user=user, points=100, reason=PointsReason.CHECKOUT, idempotency_key=f"spend:{i}"
        )
    )
    assert outcomes == Counter({"ok": 3, "points_insufficient": THREADS - 3}), outcomes
    assert facade.points_balance(user=user) == 0
    assert sum(PointsEntry.objects.filter(user=user).values_list("delta", flat=True)) == 0


def test_the_same_key_sent_concurrently_is_posted_once(world):
    user = world.patient_parent
    outcomes = race(
        lambda i: facade.points_earn(
            user=user, points=40, reason=PointsReason.ACTIVITY, idempotency_key="one-key"
        )
    )
    assert outcomes == Counter({"ok": THREADS}), outcomes
    assert PointsEntry.objects.filter(idempotency_key="one-key").count() == 1
    assert facade.points_balance(user=user) == 40
