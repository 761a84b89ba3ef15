"""A flash sale of a treatment (儿童涂氟 9.9 元): the crossed-out price is the service's own,
paying issues a service voucher instead of a pick-up, and refunding the order takes an
unused voucher back — but not one already booked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import tomorrow_at
from tests.apiclient import ApiClient
from tests.factories import ServiceFactory
from yachi.booking.choices import Status, VoucherStatus
from yachi.booking.models import ServiceVoucher
from yachi.booking.services import appointment_cancel
from yachi.booking.vouchers.services import voucher_book
from yachi.core.errors import DomainError, InvalidInput
from yachi.payments.choices import IntentStatus
from yachi.payments.models import PaymentIntent
from yachi.shop import services
from yachi.shop.choices import OrderStatus
from yachi.shop.flash.services import flash_reserve, flash_sale_create
from yachi.shop.models import FlashSale, Order
from yachi.shop.tests.conftest import pay

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fluoride(world):
    return ServiceFactory(
        clinic=world.clinic_a,
        code="fluoride_varnish",
        name="儿童涂氟",
        name_en="Fluoride varnish for children",
        duration_minutes=20,
        price_fen=12800,
    )


def treatment_sale(world, service, **extra):
    now = timezone.now()
    return flash_sale_create(
        clinic=world.clinic_a,
        title="儿童涂氟 9.9 元",
        price_fen=990,
        original_price_fen=1,  # ignored: a treatment's usual price is the service's
        service=service,
        places=extra.pop("places", 5),
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(days=1),
        voucher_valid_days=extra.pop("voucher_valid_days", 30),
        **extra,
    )


def bought(world, sale):
    reservation = flash_reserve(sale=sale, buyer=world.patient_parent)
    pay(reservation.payment)
    order = Order.objects.get(pk=reservation.order_id)
    return order, ServiceVoucher.objects.get(source=f"shop.order:{order.public_id}")


def test_the_crossed_out_price_is_the_services_real_price(world, fluoride):
    sale = treatment_sale(world, fluoride)
    assert sale.original_price_fen == 12800
    fluoride.price_fen = 15800
    fluoride.save()
    (row,) = ApiClient().get("/flash-sales").json()
    assert row["kind"] == "treatment" and row["original_price_fen"] == 15800
    assert row["price_fen"] == 990
    assert row["service"] == {
        "id": str(fluoride.public_id),
        "name": "儿童涂氟",
        "duration_minutes": 20,
        "voucher_valid_days": 30,
    }


def test_a_sale_is_of_a_treatment_of_its_own_clinic(world, fluoride):
    other = ServiceFactory(clinic=world.clinic_b, code="fluoride_varnish", price_fen=12800)
    with pytest.raises(InvalidInput):
        treatment_sale(world, other)
    with pytest.raises(InvalidInput):
        treatment_sale(world, fluoride, sku=None, voucher_valid_days=0)
    assert not FlashSale.objects.exists()


def test_paying_issues_a_service_voucher_instead_of_a_pick_up(world, fluoride):
    sale = treatment_sale(world, fluoride)
    order, voucher = bought(world, sale)
    assert order.status == OrderStatus.PAID and order.pickup_code is None
    assert voucher.owner == world.patient_parent and voucher.service == fluoride
    assert voucher.clinic == world.clinic_a and voucher.paid_fen == 990
    assert voucher.status == VoucherStatus.UNUSED
    # Thirty days counting the day of payment, to the end of the last one.
    until = timezone.localtime(voucher.valid_until)
    assert (until.date() - timezone.localdate()).days == 29
    assert until.strftime("%H:%M") == "23:59"
    # A payment notification applied again issues nothing more.
    services.mark_paid(order=order, paid_fen=990, at=timezone.now())
    assert ServiceVoucher.objects.count() == 1


def test_an_unused_voucher_is_refunded_by_cancelling_its_order(world, fluoride):
    sale = treatment_sale(world, fluoride)
    order, voucher = bought(world, sale)
    services.order_cancel(actor=world.patient_parent, order=order)
    order.refresh_from_db()
    voucher.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert PaymentIntent.objects.get(reference__endswith=str(order.public_id)).status == (
        IntentStatus.REFUNDED
    )
    assert voucher.status == VoucherStatus.REFUNDED
    assert FlashSale.objects.get(pk=sale.pk).remaining == 5  # the place went back on sale


def test_a_booked_voucher_is_not_refunded_until_its_visit_is_cancelled(world, fluoride):
    sale = treatment_sale(world, fluoride)
    order, voucher = bought(world, sale)
    appointment = voucher_book(
        actor=world.patient_parent,
        voucher=voucher,
        doctor=world.clinic_a_doctor,
        start=tomorrow_at(10),
        patient=world.patient_child,
    )
    with pytest.raises(DomainError) as refused:
        services.order_cancel(actor=world.patient_parent, order=order)
    assert refused.value.code == "voucher_not_refundable"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.closed_at is None
    assert ServiceVoucher.objects.get(pk=voucher.pk).status == VoucherStatus.BOOKED
    appointment_cancel(actor=world.patient_parent, appointment=appointment)
    assert appointment.__class__.objects.get(pk=appointment.pk).status == Status.CANCELLED
    services.order_cancel(actor=world.patient_parent, order=order)
    assert ServiceVoucher.objects.get(pk=voucher.pk).status == VoucherStatus.REFUNDED


def test_no_more_vouchers_are_sold_than_the_sales_places(world, fluoride):
    sale = treatment_sale(world, fluoride, places=1)
    bought(world, sale)
    with pytest.raises(DomainError) as refused:
        flash_reserve(sale=sale, buyer=world.other_patient)
    assert refused.value.code == "sold_out"
    assert ServiceVoucher.objects.count() == 1


def test_the_voucher_appears_in_the_app_and_books_through_the_normal_flow(client, world, fluoride):
    sale = treatment_sale(world, fluoride)
    order, voucher = bought(world, sale)
    client.force_login(world.patient_parent)
    listed = client.get("/vouchers/").content.decode()
    assert "儿童涂氟 9.9 元" in listed and "未使用" in listed
    page = client.get(f"/vouchers/{voucher.public_id}/").content.decode()
    assert voucher.code in page and "¥128.00" in page
    doctors = client.get(f"/book/service/{fluoride.public_id}/?voucher={voucher.public_id}")
    assert doctors.status_code == 200 and "使用服务券预约" in doctors.content.decode()
    start = tomorrow_at(10)
    confirm = client.get(
        "/book/confirm/",
        {
            "service": fluoride.public_id,
            "doctor": world.clinic_a_doctor.public_id,
            "start": start.isoformat(),
            "who": world.patient_child.public_id,
            "voucher": voucher.public_id,
        },
    )
    assert "服务券" in confirm.content.decode()
    done = client.post(
        "/book/confirm/",
        {
            "service": fluoride.public_id,
            "doctor": world.clinic_a_doctor.public_id,
            "start": start.isoformat(),
            "who": world.patient_child.public_id,
            "voucher": voucher.public_id,
        },
    )
    assert done.status_code == 302 and "/appointments/" in done["Location"]
    booked_page = client.get(done["Location"]).content.decode()
    assert "已用服务券支付" in booked_page and voucher.code in booked_page
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.BOOKED
    assert voucher.appointment.patient == world.patient_child
    order_page = client.get(f"/shop/orders/{order.public_id}/").content.decode()
    assert voucher.code in order_page and "取消订单" not in order_page


def test_a_manager_creates_a_treatment_sale_whose_usual_price_is_the_services(
    client, world, fluoride
):
    client.force_login(world.clinic_a_manager)
    url = f"/console/clinic/{world.clinic_a.public_id}/flash-sales/"
    assert "儿童涂氟 · ¥128.00" in client.get(url).content.decode()
    start = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    end = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "title": "儿童涂氟 9.9 元",
        "price": "9.90",
        "places": "30",
        "per_person_limit": "2",
        "starts_at": start,
        "ends_at": end,
        "payment_window_minutes": "15",
        "voucher_valid_days": "60",
    }
    refused = client.post(url, form)  # neither a treatment nor a usual price
    assert refused.status_code == 200 and not FlashSale.objects.exists()
    response = client.post(url, {**form, "service": str(fluoride.public_id)})
    assert response.status_code == 302, response.content.decode()[:2000]
    sale = FlashSale.objects.get()
    assert (sale.service, sale.price_fen, sale.original_price_fen) == (fluoride, 990, 12800)
    assert sale.voucher_valid_days == 60
    assert "服务券 · 儿童涂氟" in client.get(url + "live/").content.decode()


def test_a_treatment_sale_sells_no_more_vouchers_than_the_clinic_has_room_for(world, fluoride):
    # Two doctors provide it, 8 hours a day each: 48 visits of 20 minutes in one day.
    with pytest.raises(InvalidInput) as refused:
        treatment_sale(world, fluoride, places=49, voucher_valid_days=1)
    assert refused.value.code == "over_capacity" and "48" in str(refused.value.message)
    assert not FlashSale.objects.exists()
    assert treatment_sale(world, fluoride, places=48, voucher_valid_days=1).places == 48


def test_the_desk_does_not_prepare_a_voucher_as_a_pick_up(world, fluoride):
    order, _voucher = bought(world, treatment_sale(world, fluoride))
    with pytest.raises(InvalidInput) as refused:
        services.order_advance(
            actor=world.clinic_a_front_desk, order=order, to_status=OrderStatus.PREPARING
        )
    assert refused.value.code == "voucher_order"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
