"""What a patient sees of the catalogue: pictures, search, categories, what is sold out;
and a manager putting a picture on a product."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.apiclient import ApiClient
from yachi.compliance.models import AuditEntry
from yachi.shop.choices import Category
from yachi.shop.models import Product, Sku, Stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent_client(client, shop):
    client.force_login(shop.patient_parent)
    return client


def photo(*, size=(2400, 1200), fmt="JPEG", exif=True) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (30, 140, 120))
    output = io.BytesIO()
    if exif and fmt == "JPEG":
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # camera make
        data[0x0110] = "Model X"  # camera model
        image.save(output, format=fmt, exif=data)
    else:
        image.save(output, format=fmt)
    return SimpleUploadedFile(f"brush.{fmt.lower()}", output.getvalue(), f"image/{fmt.lower()}")


def upload(client, product, file):
    return client.post(
        f"/console/shop/products/{product.public_id}/", {"form": "image", "image": file}
    )


def test_a_manager_uploads_a_picture_shown_resized_in_the_list_and_on_the_product_page(
    client, shop
):
    brush = shop.shop.brush
    client.force_login(shop.clinic_a_manager)
    response = upload(client, brush, photo())
    assert response.status_code == 302
    brush.refresh_from_db()
    assert brush.thumbnail and brush.image
    assert AuditEntry.objects.filter(object_id=str(brush.public_id)).exists()
    console = client.get(f"/console/shop/products/{brush.public_id}/").content.decode()
    assert brush.thumbnail_url in console

    thumbnail = client.get(brush.thumbnail_url)
    large = client.get(brush.image_url)
    assert thumbnail["Content-Type"] == "image/jpeg" and large["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(thumbnail.content)) as small:
        assert small.size == (480, 480)
        assert not small.getexif()
    with Image.open(io.BytesIO(large.content)) as big:
        assert big.size == (1200, 600)
        assert not big.getexif()

    client.force_login(shop.patient_parent)
    listing = client.get("/shop/", {"clinic": shop.clinic_a.public_id}).content.decode()
    assert f'src="{brush.thumbnail_url}"' in listing
    page = client.get(f"/shop/products/{brush.public_id}/").content.decode()
    assert f'src="{brush.image_url}"' in page
    # The floss has no picture: a placeholder tile, not a broken image.
    assert "product-picture none" in listing
    api = ApiClient().get("/shop/products").json()
    by_name = {p["name"]: p for p in api}
    assert by_name["声波电动牙刷"]["thumbnail_url"] == brush.thumbnail_url
    assert by_name["牙线"]["thumbnail_url"] is None


def test_a_new_picture_replaces_the_old_one_and_the_old_files_are_gone(
    client, shop, django_capture_on_commit_callbacks
):
    brush = shop.shop.brush
    client.force_login(shop.clinic_a_manager)
    upload(client, brush, photo(fmt="PNG", size=(300, 500)))
    brush.refresh_from_db()
    old = brush.thumbnail_url
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, brush, photo())
    brush.refresh_from_db()
    assert brush.thumbnail_url != old
    assert client.get(old).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/console/shop/products/{brush.public_id}/", {"form": "image_remove"})
    brush.refresh_from_db()
    assert brush.image == "" and brush.thumbnail == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not a photo", "只能上传 JPEG 或 PNG"),
        (b"\xff\xd8\xff\xe0 broken jpeg", "不是可读取的照片"),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused_and_nothing_changes(
    client, shop, content, message
):
    brush = shop.shop.brush
    client.force_login(shop.clinic_a_manager)
    response = upload(client, brush, SimpleUploadedFile("x.jpg", content, "image/jpeg"))
    page = client.get(response["Location"]).content.decode()
    assert message in page
    brush.refresh_from_db()
    assert brush.image == "" and brush.thumbnail == ""


def test_the_front_desk_cannot_change_product_pictures(client, shop):
    client.force_login(shop.clinic_a_front_desk)
    response = upload(client, shop.shop.brush, photo())
    assert response.status_code == 403
    shop.shop.brush.refresh_from_db()
    assert shop.shop.brush.image == ""


def test_only_the_pictures_of_products_are_served(client, shop):
    assert client.get("/shop/images/" + "0" * 32 + "-thumb.jpg").status_code == 404
    assert client.get("/shop/images/..%2F..%2Fdb.sqlite3").status_code == 404
    assert client.get("/shop/images/settings.py").status_code == 404


def test_search_finds_products_by_chinese_name_and_description(parent_client, shop):
    Product.objects.filter(pk=shop.shop.floss.pk).update(description="扁平细滑，适合牙缝较紧")
    page = parent_client.get("/shop/", {"q": "牙线"}).content.decode()
    assert "牙线" in page and "声波电动牙刷" not in page
    page = parent_client.get("/shop/", {"q": "牙缝"}).content.decode()
    assert "牙线" in page and "声波电动牙刷" not in page
    page = parent_client.get("/shop/", {"q": "sonic"}).content.decode()  # English name
    assert (
        "声波电动牙刷" in page
        and 'href="/shop/products/' + str(shop.shop.floss.public_id) not in page
    )
    page = parent_client.get("/shop/", {"q": "种植体"}).content.decode()
    assert "没有找到" in page
    found = ApiClient().get("/shop/products", {"q": "牙线"}).json()
    assert [p["name"] for p in found] == ["牙线"]
    # Wildcards are letters, not patterns.
    assert ApiClient().get("/shop/products", {"q": "%"}).json() == []


def test_categories_without_anything_on_sale_at_the_clinic_are_hidden(parent_client, shop):
    world = shop
    mouthwash = Product.objects.create(name="漱口水", category=Category.MOUTHWASH)
    sku = Sku.objects.create(product=mouthwash, code="mw", name="250ml", price_fen=3900)
    Stock.objects.create(clinic=world.clinic_b, sku=sku, quantity=3)  # only clinic B sells it
    Product.objects.create(name="诊疗套餐", category=Category.TREATMENT)  # no SKU at all

    page = parent_client.get("/shop/", {"clinic": world.clinic_a.public_id}).content.decode()
    assert ">电动牙刷</a>" in page and ">牙线与牙缝刷</a>" in page
    assert ">漱口水</a>" not in page and ">诊疗套餐</a>" not in page
    page = parent_client.get("/shop/", {"clinic": world.clinic_b.public_id}).content.decode()
    assert ">漱口水</a>" in page and ">诊疗套餐</a>" not in page
    categories = ApiClient().get("/shop/categories", {"clinic_id": world.clinic_a.public_id})
    assert [c["code"] for c in categories.json()] == ["toothbrush", "floss"]


def test_sold_out_only_when_nothing_is_left_at_the_chosen_clinic(parent_client, shop):
    world, catalogue = shop, shop.shop
    # Clinic B: no pink brush left, but white ones are: the brush is not sold out.
    page = parent_client.get("/shop/", {"clinic": world.clinic_b.public_id}).content.decode()
    assert "售罄" not in page
    product = f"/shop/products/{catalogue.brush.public_id}/"
    assert "加入购物车" in parent_client.get(product).content.decode()
    Stock.objects.filter(clinic=world.clinic_b, sku=catalogue.white).update(quantity=0)
    page = parent_client.get("/shop/").content.decode()  # clinic B is remembered
    assert page.count('data-testid="sold-out"') == 1
    page = parent_client.get(product).content.decode()
    assert "售罄" in page and "加入购物车" not in page
    # At clinic A the same product is in stock.
    page = parent_client.get(product, {"clinic": world.clinic_a.public_id}).content.decode()
    assert "加入购物车" in page and 'data-testid="sold-out"' not in page
    api = ApiClient().get("/shop/products", {"clinic_id": world.clinic_b.public_id}).json()
    assert {p["name"]: p["sold_out"] for p in api} == {"声波电动牙刷": True, "牙线": False}
