"""Issuing, quoting, holding, redeeming and releasing coupons."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import patient_user
from yachi.core.errors import DomainError
from yachi.growth import facade
from yachi.growth.choices import CouponStatus
from yachi.growth.codes import ALPHABET, LENGTH
from yachi.growth.models import Coupon, CouponTemplate
from yachi.growth.services import coupons_expire
from yachi.growth.tests.conftest import template

pytestmark = pytest.mark.django_db

FLOSS = facade.QuoteLine(kind="product", code="floss", unit_price_fen=1500, quantity=2)
PASTE = facade.QuoteLine(kind="product", code="toothpaste", unit_price_fen=6800, quantity=3)
CLEANING = facade.QuoteLine(kind="service", code="cleaning", unit_price_fen=19800, quantity=1)
ORDER = "shop.order:5b0c8f7e-0000-4000-8000-000000000001"


def error_code(call) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code


def issue(tpl, user, **kwargs):
    kwargs.setdefault("reason", "test")
    return facade.coupon_issue(template_id=tpl.public_id, user=user, **kwargs)


def test_issued_coupon_has_a_readable_unique_code_and_expiry(world, fixed_off):
    coupon = Coupon.objects.get(public_id=issue(fixed_off, world.patient_parent))
    assert len(coupon.code) == LENGTH and set(coupon.code) <= set(ALPHABET)
    assert coupon.status == CouponStatus.AVAILABLE
    assert coupon.expires_at - timezone.now() > timedelta(days=29)
    fixed_off.refresh_from_db()
    assert fixed_off.issued_count == 1


def test_quote_changes_nothing_and_names_the_discount(world, fixed_off):
    coupon_id = issue(fixed_off, world.patient_parent)
    quoted = facade.coupon_quote(
        user=world.patient_parent, coupon_id=coupon_id, lines=[FLOSS, PASTE, CLEANING]
    )
    assert quoted.discount_fen == 3000 and quoted.coupon_id == coupon_id
    assert quoted.title == "满200减30"
    assert Coupon.objects.get(public_id=coupon_id).status == CouponStatus.AVAILABLE


def test_quote_refuses_with_stable_codes(world, fixed_off, scaling_70):
    user = world.patient_parent
    coupon_id = issue(fixed_off, user)
    assert (
        error_code(lambda: facade.coupon_quote(user=user, coupon_id=coupon_id, lines=[FLOSS]))
        == "coupon_min_spend_not_met"
    )
    assert (
        error_code(lambda: facade.coupon_quote(user=user, coupon_id=coupon_id, lines=[CLEANING]))
        == "coupon_not_applicable"
    )
    later = timezone.now() + timedelta(days=31)
    assert (
        error_code(
            lambda: facade.coupon_quote(user=user, coupon_id=coupon_id, lines=[PASTE], at=later)
        )
        == "coupon_expired"
    )
    # Someone else's coupon is as unknown as one that does not exist.
    theirs = issue(scaling_70, world.other_patient)
    assert (
        error_code(lambda: facade.coupon_quote(user=user, coupon_id=theirs, lines=[CLEANING]))
        == "coupon_not_found"
    )


def test_hold_redeem_and_release_follow_the_order(world, scaling_70):
    user = world.patient_parent
    coupon_id = issue(scaling_70, user)
    held = facade.coupon_hold(user=user, coupon_id=coupon_id, lines=[CLEANING], reference=ORDER)
    assert held.discount_fen == 5940
    # The same checkout retried gets the same hold; another order gets nothing.
    again = facade.coupon_hold(user=user, coupon_id=coupon_id, lines=[CLEANING], reference=ORDER)
    assert again == held
    other_order = "shop.order:other"
    assert (
        error_code(
            lambda: facade.coupon_hold(
                user=user, coupon_id=coupon_id, lines=[CLEANING], reference=other_order
            )
        )
        == "coupon_unavailable"
    )
    facade.coupon_release(reference=ORDER)
    facade.coupon_release(reference=ORDER)
    assert Coupon.objects.get(public_id=coupon_id).status == CouponStatus.AVAILABLE
    facade.coupon_hold(user=user, coupon_id=coupon_id, lines=[CLEANING], reference=other_order)
    facade.coupon_redeem(reference=other_order)
    facade.coupon_redeem(reference=other_order)
    coupon = Coupon.objects.get(public_id=coupon_id)
    assert coupon.status == CouponStatus.REDEEMED
    assert coupon.redeemed_reference == other_order
    # A refund of the paid order does not give the coupon back: release does nothing.
    facade.coupon_release(reference=other_order)
    assert Coupon.objects.get(public_id=coupon_id).status == CouponStatus.REDEEMED


def test_release_after_expiry_expires_the_coupon(world, scaling_70):
    user = world.patient_parent
    coupon_id = issue(scaling_70, user)
    facade.coupon_hold(user=user, coupon_id=coupon_id, lines=[CLEANING], reference=ORDER)
    Coupon.objects.filter(public_id=coupon_id).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert coupons_expire() == 0  # held coupons wait for their order
    facade.coupon_release(reference=ORDER)
    assert Coupon.objects.get(public_id=coupon_id).status == CouponStatus.EXPIRED


def test_expiry_job_expires_only_available_coupons_past_their_time(world, scaling_70, fixed_off):
    old = issue(scaling_70, world.patient_parent)
    fresh = issue(fixed_off, world.patient_parent)
    Coupon.objects.filter(public_id=old).update(expires_at=timezone.now() - timedelta(seconds=1))
    from yachi.growth.tasks import expire_coupons

    expire_coupons.call_local()
    statuses = dict(Coupon.objects.values_list("public_id", "status"))
    assert statuses == {old: CouponStatus.EXPIRED, fresh: CouponStatus.AVAILABLE}


def test_total_quantity_and_per_person_limit_are_enforced(world):
    limited = template(total_quantity=2, per_person_limit=1)
    issue(limited, world.patient_parent)
    assert error_code(lambda: issue(limited, world.patient_parent)) == "coupon_limit_reached"
    issue(limited, world.other_patient)
    third = patient_user("13800000077")
    assert error_code(lambda: issue(limited, third)) == "coupon_sold_out"
    limited.refresh_from_db()
    assert limited.issued_count == 2
    assert Coupon.objects.filter(template=limited).count() == 2


def test_issue_with_a_repeated_key_returns_the_first_coupon(world, fixed_off):
    first = issue(fixed_off, world.patient_parent, idempotency_key="campaign:1:parent")
    second = issue(fixed_off, world.patient_parent, idempotency_key="campaign:1:parent")
    assert first == second
    assert Coupon.objects.count() == 1


def test_inactive_or_ended_templates_issue_nothing(world, ended):
    paused = template(active=False)
    assert error_code(lambda: issue(paused, world.patient_parent)) == "coupon_template_ended"
    assert error_code(lambda: issue(ended, world.patient_parent)) == "coupon_template_ended"
    assert not Coupon.objects.exists()


def test_staff_get_no_coupons(world, fixed_off):
    assert error_code(lambda: issue(fixed_off, world.clinic_a_manager)) == "not_a_patient"
    assert not Coupon.objects.exists()


def test_compensation_coupon_is_issued_once_per_reference(world):
    CouponTemplate.objects.filter(system_key="compensation").delete()  # created on first use too
    reference = "booking.appointment:abc"
    first = facade.compensation_coupon_issue(
        user=world.patient_parent, reference=reference, reason="医生临时停诊"
    )
    again = facade.compensation_coupon_issue(
        user=world.patient_parent, reference=reference, reason="医生临时停诊"
    )
    assert first == again
    coupon = Coupon.objects.select_related("template").get(public_id=first)
    assert coupon.template.amount_off_fen == 5000 and coupon.template.name == "预约补偿券"
    assert timedelta(days=89) < coupon.expires_at - timezone.now() <= timedelta(days=90)
    quoted = facade.coupon_quote(user=world.patient_parent, coupon_id=first, lines=[FLOSS])
    assert quoted.discount_fen == 3000  # never more than the order
