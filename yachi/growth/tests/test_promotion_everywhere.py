"""The content check stands in front of every promotional text the platform keeps:
coupon names, flash sales, and the pages a visitor reaches without logging in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yachi.growth import services
from yachi.growth.models import CouponTemplate
from yachi.growth.promotion import ContentRefused
from yachi.shop.flash.models import FlashSale
from yachi.shop.flash.services import flash_sale_create

pytestmark = pytest.mark.django_db


def test_a_coupon_named_with_a_claim_is_refused_with_the_reason(world):
    with pytest.raises(ContentRefused) as refused:
        services.coupon_template_save(
            actor=world.clinic_a_manager,
            name="种植牙无效退款券",
            name_en="",
            kind="fixed_amount",
            amount_off_fen=1000,
            applies_to="any",
            valid_days=30,
        )
    assert refused.value.code == "content_refused" and "无效退款" in str(refused.value.message)
    assert not CouponTemplate.objects.filter(name="种植牙无效退款券").exists()


def test_a_flash_sale_with_a_superlative_is_refused_on_its_console_form(client, world):
    with pytest.raises(ContentRefused):
        flash_sale_create(
            clinic=world.clinic_a,
            title="全市最低价洁牙",
            description="",
            price_fen=990,
            original_price_fen=20000,
            places=5,
            starts_at=timezone.now() + timedelta(hours=1),
            ends_at=timezone.now() + timedelta(days=1),
        )
    assert not FlashSale.objects.exists()


def test_a_flash_sale_named_plainly_is_created(world):
    sale = flash_sale_create(
        clinic=world.clinic_a,
        title="儿童涂氟 9.9 元",
        description="每人限购一次",
        price_fen=990,
        original_price_fen=20000,
        places=5,
        starts_at=timezone.now() + timedelta(hours=1),
        ends_at=timezone.now() + timedelta(days=1),
    )
    assert sale.pk


def test_who_reaches_which_page_without_logging_in(client, world):
    # Articles are public (a shared link reaches people who are not patients yet); case
    # contests are a patient's; the console is staff's.
    assert client.get("/articles/").status_code == 200
    for path in ("/cases/", "/console/articles/", "/console/cases/", "/console/channels/roi/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"], path
    client.force_login(world.clinic_a_manager)
    assert client.get("/cases/").status_code == 403  # the patient app is patients'
