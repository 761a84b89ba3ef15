"""The words on the screens: each label names what it shows, in the glossary's words."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory
from yachi.core.roles import Role
from yachi.shop.tests.conftest import catalogue

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_product_page_calls_a_variant_code_a_sku_code_and_the_name_a_name(client, world):
    shop = catalogue(world)
    client.force_login(world.clinic_a_manager)
    page = text_of(client.get(f"/console/shop/products/{shop.brush.public_id}/"))
    assert "SKU 编码" in page and "券码" not in page
    assert "名称" in page and "姓名" not in page
    stock = text_of(client.get(reverse("console:shop_stock", args=[world.clinic_a.public_id])))
    assert "SKU 编码" in stock and "券码" not in stock


def test_patients_have_a_name_and_coupons_a_coupon_code(client, world):
    client.force_login(world.clinic_a_front_desk)
    search = text_of(client.get(reverse("console:patients"), {"q": "张"}))
    assert "姓名" in search
    client.force_login(world.patient_parent)
    family = text_of(client.get(reverse("web:family_add")))
    assert "姓名" in family


def test_the_flash_sale_list_says_what_its_live_count_is_not_where_it_is_kept(client, world):
    client.force_login(world.clinic_a_front_desk)
    page = text_of(client.get(reverse("console:flash_sales", args=[world.clinic_a.public_id])))
    assert "Redis" not in page and "实时剩余名额" in page


def test_each_language_is_named_in_its_own_language(client, world):
    client.force_login(world.patient_parent)
    me = text_of(client.get(reverse("web:me")))
    assert ">简体中文</option>" in me and ">English</option>" in me and "英语" not in me
    client.force_login(world.clinic_a_front_desk)
    console = text_of(client.get(reverse("console:home"), follow=True))
    assert ">English</option>" in console and "英语" not in console


def test_the_admin_names_every_model_in_chinese(client, world):
    administrator = StaffFactory(role=Role.ADMIN, is_superuser=True)
    client.force_login(administrator)
    index = text_of(client.get(reverse("admin:index")))
    for word in ("优惠券模板", "优惠券", "积分明细"):
        assert word in index
    for english in ("coupon template", "Coupon templates", "Points entries", "Coupons"):
        assert english not in index


def test_the_mall_calls_a_clinic_a_clinic_as_the_glossary_does(client, world):
    shop = catalogue(world)
    client.force_login(world.patient_parent)
    page = text_of(client.get(f"/shop/products/{shop.brush.public_id}/"))
    assert "门店" not in page and "诊所" in page
