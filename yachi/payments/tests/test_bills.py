"""Treatment bills: a coupon for the treatment lowers the amount, paying earns points, and
a bill left unpaid gives its coupon back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yachi.core.errors import DomainError
from yachi.growth import facade as growth
from yachi.growth.choices import CouponStatus
from yachi.growth.models import Coupon, CouponTemplate
from yachi.payments import bills, services
from yachi.payments.choices import IntentStatus, Method
from yachi.payments.models import Bill, PaymentIntent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scaling_coupon(world):
    template = CouponTemplate.objects.create(
        name="洁牙7折",
        kind="percentage",
        pay_percent=70,
        applies_to="services",
        item_codes=[world.cleaning_a.code],
        valid_days=30,
    )
    coupon_id = growth.coupon_issue(
        template_id=template.public_id, user=world.patient_parent, reason="新客礼"
    )
    return Coupon.objects.get(public_id=coupon_id)


def _bill(world, service=None, amount=20000):
    return bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=amount,
        description="",
        service=service or world.cleaning_a,
    )


def test_a_scaling_coupon_lowers_a_scaling_bill_and_is_used_when_paid(world, scaling_coupon):
    intent = _bill(world)
    assert [d.discount_fen for d in bills.bill_coupons(intent=intent)] == [6000]
    intent = bills.bill_apply_coupon(
        actor=world.patient_parent, intent=intent, coupon_id=scaling_coupon.public_id
    )
    assert intent.amount_fen == 14000
    services.desk_payment_record(actor=world.clinic_a_front_desk, intent=intent, method=Method.CARD)
    scaling_coupon.refresh_from_db()
    assert scaling_coupon.status == CouponStatus.REDEEMED
    assert growth.points_balance(user=world.patient_parent) == 140  # one point a yuan paid


def test_a_coupon_for_another_treatment_does_not_fit(world, scaling_coupon):
    intent = _bill(world, service=world.filling_a)
    assert bills.bill_coupons(intent=intent) == []
    with pytest.raises(DomainError):
        bills.bill_apply_coupon(
            actor=world.patient_parent, intent=intent, coupon_id=scaling_coupon.public_id
        )
    intent.refresh_from_db()
    assert intent.amount_fen == 20000
    assert Coupon.objects.get().status == CouponStatus.AVAILABLE


def test_a_coupon_cannot_be_used_once_paying_has_started(world, scaling_coupon):
    from yachi.payments import gateway

    intent = _bill(world)
    gateway.payment_start(intent=intent, method=Method.SIMULATOR)
    with pytest.raises(DomainError) as refused:
        bills.bill_apply_coupon(
            actor=world.patient_parent, intent=intent, coupon_id=scaling_coupon.public_id
        )
    assert refused.value.code == "not_payable"
    assert PaymentIntent.objects.get().amount_fen == 20000


def test_an_unpaid_bill_gives_its_coupon_back_when_it_closes(world, scaling_coupon):
    intent = _bill(world)
    bills.bill_apply_coupon(
        actor=world.patient_parent, intent=intent, coupon_id=scaling_coupon.public_id
    )
    PaymentIntent.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.intents_close_expired() == 1
    assert Coupon.objects.get().status == CouponStatus.AVAILABLE


def test_a_refunded_bill_takes_back_the_points_it_earned(world):
    intent = _bill(world)
    services.desk_payment_record(actor=world.clinic_a_front_desk, intent=intent, method=Method.CASH)
    assert growth.points_balance(user=world.patient_parent) == 200
    services.refund_request(
        intent=intent, amount_fen=20000, reason="误收", actor=world.clinic_a_front_desk
    )
    intent.refresh_from_db()
    assert intent.status == IntentStatus.REFUNDED
    assert growth.points_balance(user=world.patient_parent) == 0


def test_patient_uses_a_coupon_on_the_pay_page_and_in_the_api(client, api, world, scaling_coupon):
    intent = _bill(world)
    client.force_login(world.patient_parent)
    page = client.get(f"/pay/{intent.public_id}/").content.decode()
    assert "洁牙7折" in page and "−¥60.00" in page
    api.as_user(world.patient_parent)
    listed = api.get(f"/payments/{intent.public_id}/coupons").json()
    assert listed == [
        {
            "coupon_id": str(scaling_coupon.public_id),
            "title": listed[0]["title"],
            "discount_fen": 6000,
        }
    ]
    used = api.post(
        f"/payments/{intent.public_id}/coupon", {"coupon_id": str(scaling_coupon.public_id)}
    )
    assert used.status_code == 200 and used.json()["amount_fen"] == 14000
    again = api.post(
        f"/payments/{intent.public_id}/coupon", {"coupon_id": str(scaling_coupon.public_id)}
    )
    assert again.status_code == 409
    assert Bill.objects.get().discount_fen == 6000


def test_a_partial_refund_takes_back_points_in_proportion_and_only_once(world):
    intent = _bill(world, amount=30000)
    services.desk_payment_record(actor=world.clinic_a_front_desk, intent=intent, method=Method.CASH)
    assert growth.points_balance(user=world.patient_parent) == 300
    refund = services.refund_request(
        intent=intent, amount_fen=10000, reason="少做一项", actor=world.clinic_a_front_desk
    )
    assert growth.points_balance(user=world.patient_parent) == 200  # a third of 300 back
    # Settling the same refund again (a retried job) takes nothing more.
    bills.on_refunded(intent, refund, False)
    assert growth.points_balance(user=world.patient_parent) == 200
    services.refund_request(
        intent=intent, amount_fen=20000, reason="取消治疗", actor=world.clinic_a_front_desk
    )
    assert growth.points_balance(user=world.patient_parent) == 0


def test_a_partial_refund_never_takes_points_below_zero(world):
    intent = _bill(world, amount=30000)
    services.desk_payment_record(actor=world.clinic_a_front_desk, intent=intent, method=Method.CASH)
    growth.points_spend(
        user=world.patient_parent, points=250, reason="checkout", idempotency_key="spent-it"
    )
    services.refund_request(
        intent=intent, amount_fen=20000, reason="少做一项", actor=world.clinic_a_front_desk
    )
    assert growth.points_balance(user=world.patient_parent) == 0


def test_the_desk_uses_the_patients_scaling_coupon_and_prints_the_receipt(
    client, world, scaling_coupon
):
    from yachi.compliance.models import AuditEntry

    intent = _bill(world)
    client.force_login(world.clinic_a_front_desk)
    page = client.get(f"/console/payments/{intent.public_id}/").content.decode()
    assert "洁牙7折" in page and "−¥60.00" in page
    assert "打印收据" not in page  # nothing to print before it is paid
    client.post(
        f"/console/payments/{intent.public_id}/coupon/", {"coupon": str(scaling_coupon.public_id)}
    )
    intent.refresh_from_db()
    assert intent.amount_fen == 14000
    audited = AuditEntry.objects.get(action="bill_changed")
    assert (audited.details["discount_fen"], audited.details["amount_fen"]) == (6000, 14000)
    refused = client.post(
        f"/console/payments/{intent.public_id}/coupon/", {"coupon": "nonsense"}, follow=True
    )
    assert refused.status_code == 200 and 'class="flash-error"' in refused.content.decode()
    client.post(
        f"/console/payments/{intent.public_id}/take/", {"method": "cash", "tendered": "200"}
    )
    page = client.get(f"/console/payments/{intent.public_id}/").content.decode()
    assert "打印收据" in page
    sheet = client.get(f"/console/payments/{intent.public_id}/receipt/").content.decode()
    assert "payments/print" in sheet and "¥140.00" in sheet
    client.force_login(world.clinic_b_front_desk)
    assert client.get(f"/console/payments/{intent.public_id}/receipt/").status_code == 404


def test_the_pay_page_says_the_day_a_bill_must_be_paid_by(client, world, settings):
    from django.utils import timezone

    zone = timezone.get_default_timezone()
    client.force_login(world.patient_parent)
    later = _bill(world)  # due in YACHI_BILL_DUE_DAYS (30)
    local = timezone.localtime(later.expires_at, zone)
    page = client.get(f"/pay/{later.public_id}/").content.decode()
    assert f"请在 {local:%Y-%m-%d %H:%M} 前完成支付" in page
    settings.YACHI_BILL_DUE_DAYS = 1
    soon = _bill(world, service=world.filling_a)
    tomorrow = timezone.localtime(soon.expires_at, zone)
    page = client.get(f"/pay/{soon.public_id}/").content.decode()
    assert f"请在 明天 {tomorrow:%H:%M} 前完成支付" in page
