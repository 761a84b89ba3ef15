"""The patient's coupon and points pages and the console's, through the test client."""

import pytest

from yachi.growth import facade
from yachi.growth.choices import CouponStatus, PointsReason
from yachi.growth.models import Coupon, CouponTemplate, PointsEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent_client(client, world):
    client.force_login(world.patient_parent)
    return client


@pytest.fixture
def manager_client(client, world):
    client.force_login(world.clinic_a_manager)
    return client


def test_my_coupons_shows_tabs_with_code_and_conditions(parent_client, world, fixed_off):
    coupon_id = facade.coupon_issue(
        template_id=fixed_off.public_id, user=world.patient_parent, reason="t"
    )
    theirs = facade.coupon_issue(
        template_id=fixed_off.public_id, user=world.other_patient, reason="t"
    )
    code = Coupon.objects.get(public_id=coupon_id).code
    page = parent_client.get("/coupons/").content.decode()
    assert code in page and "满200减30" in page and "满 ¥200.00 可用" in page
    assert Coupon.objects.get(public_id=theirs).code not in page
    assert code not in parent_client.get("/coupons/?tab=used").content.decode()
    Coupon.objects.filter(public_id=coupon_id).update(status=CouponStatus.EXPIRED)
    assert code in parent_client.get("/coupons/?tab=expired").content.decode()


def test_me_page_links_coupons_and_points(parent_client):
    page = parent_client.get("/me/").content.decode()
    assert "/coupons/" in page and "/points/" in page


def test_points_page_and_confirmed_exchange(parent_client, world, free_floss):
    user = world.patient_parent
    facade.points_earn(user=user, points=600, reason=PointsReason.ACTIVITY, idempotency_key="k")
    page = parent_client.get("/points/").content.decode()
    assert "600" in page and "免费牙线" in page
    confirm = parent_client.get(f"/points/rewards/{free_floss.public_id}/")
    assert confirm.status_code == 200 and "500" in confirm.content.decode()
    # The confirm button pressed twice spends once.
    for _ in range(2):
        response = parent_client.post(
            f"/points/rewards/{free_floss.public_id}/", {"key": "page-key"}
        )
        assert response.status_code == 302 and response["Location"] == "/coupons/"
    assert facade.points_balance(user=user) == 100
    assert Coupon.objects.filter(owner=user, template=free_floss).count() == 1


def test_exchange_without_enough_points_changes_nothing(parent_client, world, free_floss):
    response = parent_client.post(f"/points/rewards/{free_floss.public_id}/", {"key": "k"})
    assert response.status_code == 302 and response["Location"] == "/points/"
    assert not Coupon.objects.exists() and not PointsEntry.objects.exists()


def test_a_template_that_is_no_reward_has_no_exchange_page(parent_client, fixed_off):
    assert parent_client.get(f"/points/rewards/{fixed_off.public_id}/").status_code == 404
    assert parent_client.post(f"/points/rewards/{fixed_off.public_id}/").status_code == 404
    assert not Coupon.objects.exists()


def test_manager_creates_edits_and_sees_a_template(manager_client):
    response = manager_client.post(
        "/console/coupons/new/",
        {
            "name": "洁牙7折",
            "kind": "percentage",
            "pay_percent": "70",
            "applies_to": "services",
            "item_codes": "cleaning， scaling",
            "valid_days": "30",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    template = CouponTemplate.objects.get(name="洁牙7折")
    assert template.item_codes == ["cleaning", "scaling"] and template.pay_percent == 70
    assert "洁牙7折" in manager_client.get("/console/coupons/").content.decode()
    edit = f"/console/coupons/{template.public_id}/edit/"
    assert manager_client.get(edit).status_code == 200
    manager_client.post(
        edit,
        {
            "name": "洁牙8折",
            "kind": "percentage",
            "pay_percent": "80",
            "applies_to": "services",
            "item_codes": "cleaning",
            "valid_days": "30",
        },
    )
    template.refresh_from_db()
    assert template.name == "洁牙8折" and not template.active
    assert manager_client.get(f"/console/coupons/{template.public_id}/").status_code == 200


def test_a_template_without_validity_is_refused(manager_client):
    response = manager_client.post(
        "/console/coupons/new/",
        {"name": "无期限", "kind": "fixed_amount", "amount_off": "10", "applies_to": "any"},
    )
    assert response.status_code == 200
    assert not CouponTemplate.objects.filter(name="无期限").exists()


def test_manager_gives_a_coupon_by_phone_with_a_reason(manager_client, world, fixed_off):
    page = manager_client.get("/console/coupons/issue/", {"phone": "13800000002"})
    assert "陌生人" in page.content.decode()
    missing_reason = {"phone": "13800000002", "template": str(fixed_off.public_id), "key": "a"}
    manager_client.post("/console/coupons/issue/", {**missing_reason, "reason": " "})
    assert not Coupon.objects.exists()
    response = manager_client.post(
        "/console/coupons/issue/", {**missing_reason, "key": "b", "reason": "候诊过久致歉"}
    )
    assert response.status_code == 302
    coupon = Coupon.objects.get()
    assert coupon.owner == world.other_patient and coupon.issued_reason == "候诊过久致歉"
    detail = manager_client.get(f"/console/coupons/{fixed_off.public_id}/").content.decode()
    assert coupon.code in detail


def test_manager_adjusts_points_with_a_reason(manager_client, world):
    assert (
        "陌生人"
        in manager_client.get("/console/points/", {"phone": "13800000002"}).content.decode()
    )
    manager_client.post(
        "/console/points/adjust/", {"phone": "13800000002", "delta": "50", "reason": "", "key": "1"}
    )
    assert not PointsEntry.objects.exists()
    manager_client.post(
        "/console/points/adjust/",
        {"phone": "13800000002", "delta": "50", "reason": "活动补录", "key": "2"},
    )
    manager_client.post(
        "/console/points/adjust/",
        {"phone": "13800000002", "delta": "-80", "reason": "扣多了", "key": "3"},
    )
    entry = PointsEntry.objects.get()
    assert (
        entry.delta == 50
        and entry.note == "活动补录"
        and entry.created_by == world.clinic_a_manager
    )
    assert facade.points_balance(user=world.other_patient) == 50


def test_front_desk_and_patients_cannot_manage_coupons(client, world, fixed_off):
    for user in (world.clinic_a_front_desk, world.clinic_a_doctor.user):
        client.force_login(user)
        for url in (
            "/console/coupons/",
            "/console/coupons/new/",
            f"/console/coupons/{fixed_off.public_id}/",
            "/console/coupons/issue/",
            "/console/points/",
        ):
            assert client.get(url).status_code == 403, (user, url)
        response = client.post(
            "/console/coupons/issue/",
            {"phone": "13800000002", "template": str(fixed_off.public_id), "reason": "x"},
        )
        assert response.status_code == 403
        response = client.post(
            "/console/points/adjust/", {"phone": "13800000002", "delta": "9", "reason": "x"}
        )
        assert response.status_code == 403
    client.force_login(world.patient_parent)
    assert client.get("/console/coupons/").status_code == 403
    assert not Coupon.objects.exists() and not PointsEntry.objects.exists()


def test_a_template_valid_until_year_9999_is_refused(manager_client):
    response = manager_client.post(
        "/console/coupons/new/",
        {
            "name": "永久券",
            "kind": "fixed_amount",
            "amount_off": "10",
            "applies_to": "any",
            "valid_until": "9999-12-31 23:59",
        },
    )
    assert response.status_code == 200
    assert "2200-12-31" in response.content.decode()
    assert not CouponTemplate.objects.filter(name="永久券").exists()
