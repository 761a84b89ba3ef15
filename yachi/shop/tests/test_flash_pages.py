"""The 秒杀 page of the patient app and the console's flash sales."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yachi.payments.models import PaymentIntent
from yachi.shop.models import FlashReservation, FlashSale
from yachi.shop.tests.test_flash import make_sale

pytestmark = pytest.mark.django_db(transaction=True)


def test_anyone_sees_the_sales_with_places_left_and_a_countdown(client, world):
    make_sale(world.clinic_a, places=100)
    make_sale(world.clinic_a, starts_in=timedelta(hours=3))
    page = client.get("/flash/").content.decode()
    assert "儿童涂氟" in page and "100" in page
    assert "data-countdown" in page and "shop/flash.js" in page


def test_grabbing_a_place_leads_to_the_payment(client, world):
    sale = make_sale(world.clinic_a, places=1)
    client.force_login(world.patient_parent)
    response = client.post(f"/flash/{sale.public_id}/reserve/")
    intent = PaymentIntent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pay/{intent.public_id}/"
    assert FlashReservation.objects.get().buyer == world.patient_parent

    client.force_login(world.other_patient)
    response = client.post(f"/flash/{sale.public_id}/reserve/", follow=True)
    assert "已抢光" in response.content.decode()
    assert FlashReservation.objects.count() == 1


def test_grabbing_needs_a_login(client, world):
    sale = make_sale(world.clinic_a)
    response = client.post(f"/flash/{sale.public_id}/reserve/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not FlashReservation.objects.exists()


def test_a_manager_creates_a_sale_and_sees_places_left_live(client, world):
    client.force_login(world.clinic_a_manager)
    url = f"/console/clinic/{world.clinic_a.public_id}/flash-sales/"
    start = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    end = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "title": "种植套餐",
            "price": "3999.00",
            "original_price": "8800",
            "places": "20",
            "per_person_limit": "1",
            "starts_at": start,
            "ends_at": end,
            "payment_window_minutes": "30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sale = FlashSale.objects.get()
    assert (sale.price_fen, sale.original_price_fen, sale.remaining) == (399900, 880000, 20)
    assert sale.clinic == world.clinic_a
    assert timezone.localtime(sale.starts_at).strftime("%Y-%m-%dT%H:%M") == start
    page = client.get(url).content.decode()
    assert "种植套餐" in page and 'hx-trigger="every 3s"' in page
    live = client.get(url + "live/").content.decode()
    assert "种植套餐" in live and "<strong>20</strong>" in live


def test_front_desk_sees_but_cannot_create_and_other_clinics_are_not_found(client, world):
    client.force_login(world.clinic_a_front_desk)
    url = f"/console/clinic/{world.clinic_a.public_id}/flash-sales/"
    assert client.get(url).status_code == 200
    client.post(url, {"title": "x", "price": "1", "original_price": "2", "places": "1"})
    assert not FlashSale.objects.exists()
    client.force_login(world.clinic_b_front_desk)
    assert client.get(url).status_code == 404
    assert client.get(url + "live/").status_code == 404


def test_a_manager_pauses_a_sale_and_no_place_can_be_taken_until_resumed(client, world):
    sale = make_sale(world.clinic_a, places=5)
    client.force_login(world.clinic_a_front_desk)
    refused = client.post(f"/console/flash-sales/{sale.public_id}/active/", {"active": "0"})
    assert refused.status_code == 403
    client.force_login(world.clinic_a_manager)
    client.post(f"/console/flash-sales/{sale.public_id}/active/", {"active": "0"})
    sale.refresh_from_db()
    assert not sale.is_active
    client.force_login(world.patient_parent)
    client.post(f"/flash/{sale.public_id}/reserve/")
    assert not FlashReservation.objects.exists()
    client.force_login(world.clinic_a_manager)
    client.post(f"/console/flash-sales/{sale.public_id}/active/", {"active": "1"})
    client.force_login(world.patient_parent)
    client.post(f"/flash/{sale.public_id}/reserve/")
    assert FlashReservation.objects.count() == 1
    from yachi.compliance.models import AuditEntry

    changes = AuditEntry.objects.filter(action="flash_sale_paused").order_by("seq")
    assert [(e.actor_id, e.details) for e in changes] == [
        (world.clinic_a_manager.pk, {"active": False}),
        (world.clinic_a_manager.pk, {"active": True}),
    ]


def test_a_sale_in_year_9999_is_refused_by_the_form(client, world):
    client.force_login(world.clinic_a_manager)
    response = client.post(
        f"/console/clinic/{world.clinic_a.public_id}/flash-sales/",
        {
            "title": "种植套餐",
            "price": "3999.00",
            "original_price": "8800",
            "places": "20",
            "per_person_limit": "1",
            "starts_at": "9999-12-31T10:00",
            "ends_at": "9999-12-31T23:59",
            "payment_window_minutes": "30",
        },
    )
    assert response.status_code != 302
    assert "2200-12-31" in response.content.decode()
    assert not FlashSale.objects.exists()
