"""Coupons and points through the JSON API."""

import pytest

from yachi.growth import facade
from yachi.growth.choices import CouponStatus, PointsReason
from yachi.growth.models import Coupon, PointsEntry
from yachi.growth.tests.conftest import template


@pytest.fixture
def parent_api(api, world):
    return api.as_user(world.patient_parent)


def test_my_coupons_lists_only_mine_with_a_status_filter(parent_api, world, fixed_off):
    mine = facade.coupon_issue(
        template_id=fixed_off.public_id, user=world.patient_parent, reason="t"
    )
    facade.coupon_issue(template_id=fixed_off.public_id, user=world.other_patient, reason="t")
    response = parent_api.get("/me/coupons")
    assert response.status_code == 200
    body = response.json()
    assert [c["id"] for c in body] == [str(mine)]
    assert body[0]["title"] == "满200减30" and body[0]["min_spend_fen"] == 20000
    assert body[0]["status"] == "available" and body[0]["code"]
    assert parent_api.get("/me/coupons", {"status": "redeemed"}).json() == []
    assert parent_api.get("/me/coupons", {"status": "nonsense"}).status_code == 422


def test_my_points_shows_balance_and_entries(parent_api, world):
    facade.points_earn(
        user=world.patient_parent, points=250, reason=PointsReason.ACTIVITY, idempotency_key="k"
    )
    body = parent_api.get("/me/points").json()
    assert body["balance"] == 250 and body["value_fen"] == 250
    assert body["entries"][0]["delta"] == 250 and body["entries"][0]["balance_after"] == 250


def test_redeem_a_reward_spends_points_and_issues_the_coupon_once(parent_api, world, free_floss):
    user = world.patient_parent
    facade.points_earn(user=user, points=800, reason=PointsReason.ACTIVITY, idempotency_key="k")
    rewards = parent_api.get("/points/rewards").json()
    assert [r["id"] for r in rewards] == [str(free_floss.public_id)]
    url = f"/points/rewards/{free_floss.public_id}/redeem"
    first = parent_api.post(url, headers={"Idempotency-Key": "tap-1"})
    assert first.status_code == 201, first.content
    again = parent_api.post(url, headers={"Idempotency-Key": "tap-1"})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert facade.points_balance(user=user) == 300
    assert Coupon.objects.filter(owner=user).count() == 1
    # Body key works as well; then the balance is too small and nothing changes.
    before = list(PointsEntry.objects.values_list("pk", flat=True))
    refused = parent_api.post(url, {"idempotency_key": "tap-2"})
    assert refused.status_code == 409 and refused.json()["code"] == "points_insufficient"
    assert list(PointsEntry.objects.values_list("pk", flat=True)) == before
    assert Coupon.objects.filter(owner=user).count() == 1


def test_a_template_that_is_no_reward_cannot_be_redeemed(parent_api, world, fixed_off):
    facade.points_earn(
        user=world.patient_parent, points=800, reason=PointsReason.ACTIVITY, idempotency_key="k"
    )
    response = parent_api.post(f"/points/rewards/{fixed_off.public_id}/redeem")
    assert response.status_code == 404
    assert response.json()["code"] == "coupon_template_not_found"
    assert facade.points_balance(user=world.patient_parent) == 800
    assert not Coupon.objects.exists()


def test_staff_have_no_coupons_or_points(api, world):
    api.as_user(world.clinic_a_front_desk)
    assert api.get("/me/coupons").status_code == 403
    assert api.get("/me/points").json()["code"] == "patients_only"


def test_a_manager_issues_a_coupon_by_phone(api, world, fixed_off):
    api.as_user(world.clinic_a_manager)
    response = api.post(
        "/clinic/coupons/issue",
        {"template_id": str(fixed_off.public_id), "phone": "13800000002", "reason": "投诉补偿"},
    )
    assert response.status_code == 201, response.content
    coupon = Coupon.objects.get(public_id=response.json()["id"])
    assert coupon.owner == world.other_patient and coupon.issued_by == world.clinic_a_manager
    assert coupon.issued_reason == "投诉补偿" and coupon.status == CouponStatus.AVAILABLE


def test_front_desk_and_patients_cannot_issue_coupons(api, world, fixed_off):
    body = {"template_id": str(fixed_off.public_id), "phone": "13800000002", "reason": "x"}
    for caller in (world.clinic_a_front_desk, world.patient_parent):
        api.as_user(caller)
        response = api.post("/clinic/coupons/issue", body)
        assert response.status_code == 403, response.content
    assert not Coupon.objects.exists()


def test_issuing_to_an_unknown_phone_is_not_found(api, world, fixed_off):
    api.as_user(world.clinic_a_manager)
    body = {"template_id": str(fixed_off.public_id), "phone": "13900000999", "reason": "x"}
    response = api.post("/clinic/coupons/issue", body)
    assert response.status_code == 404 and response.json()["code"] == "patient_not_found"
    assert not Coupon.objects.exists()


def test_repeat_rewards_template_total(api, world):
    """A sold-out reward refuses and gives the points back untouched."""
    sold_out = template(name="限量礼品", points_cost=100, total_quantity=0)
    user = world.patient_parent
    facade.points_earn(user=user, points=100, reason=PointsReason.ACTIVITY, idempotency_key="k")
    api.as_user(user)
    response = api.post(f"/points/rewards/{sold_out.public_id}/redeem")
    assert response.status_code == 409 and response.json()["code"] == "coupon_sold_out"
    assert facade.points_balance(user=user) == 100
    assert PointsEntry.objects.count() == 1
