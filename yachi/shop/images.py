"""Product pictures: uploaded by managers, checked, re-encoded and kept in two sizes.

The upload goes through ``core.uploads.clean_image`` (type read from the content, size
limit, the pixels must decode, no EXIF survives), then is resized here into a square
thumbnail for lists and a larger picture for the product page, both JPEG. They go to
the default file storage (product pictures are not personal data: unlike facial photos
they may live on object storage) under random names that change with every upload,
and are served only by ``image_content``, which answers for the names a product holds.
"""

import io
import re
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from PIL import Image, ImageOps

from yachi.core.uploads import clean_image
from yachi.shop.catalogue import _audit_catalogue, require_catalogue_manager
from yachi.shop.errors import ProductNotFound
from yachi.shop.models import Product

THUMBNAIL_SIZE = (480, 480)  # a square: list tiles are squares, 2× for sharp phone screens
LARGE_SIZE = (1200, 1200)  # at most, keeping the proportions
FOLDER = "products"
_NAME = re.compile(r"^[0-9a-f]{32}-(thumb|large)\.jpg$")


def image_storage():
    return storages["default"]


def _jpeg(image: Image.Image) -> bytes:
    if image.mode in ("RGBA", "LA", "P"):
        # Transparent PNGs get a white background, as the pages' cards have.
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    output = io.BytesIO()
    image.convert("RGB").save(output, format="JPEG", quality=85, optimize=True, progressive=True)
    return output.getvalue()


def resized(content: bytes) -> tuple[bytes, bytes]:
    """(thumbnail, large) JPEGs of a clean picture."""
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        thumbnail = ImageOps.fit(image, THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
        large = image.copy()
        large.thumbnail(LARGE_SIZE, Image.Resampling.LANCZOS)  # never enlarges
        return _jpeg(thumbnail), _jpeg(large)


def _delete_later(names: list[str]) -> None:
    storage = image_storage()

    def delete() -> None:
        for name in names:
            if name:
                storage.delete(f"{FOLDER}/{name}")

    transaction.on_commit(delete)


def product_image_set(*, actor, product: Product, upload) -> Product:
    """Replace the product's picture with ``upload`` (a JPEG or PNG)."""
    require_catalogue_manager(actor)
    image = clean_image(upload)
    thumbnail, large = resized(image.content)
    stem = uuid.uuid4().hex
    storage = image_storage()
    names = {"thumbnail": f"{stem}-thumb.jpg", "image": f"{stem}-large.jpg"}
    storage.save(f"{FOLDER}/{names['thumbnail']}", ContentFile(thumbnail))
    storage.save(f"{FOLDER}/{names['image']}", ContentFile(large))
    with transaction.atomic():
        old = Product.objects.select_for_update().filter(pk=product.pk).values().first()
        Product.objects.filter(pk=product.pk).update(**names)
        _audit_catalogue(
            actor, "product", product.public_id, {"name": product.name, "image": "uploaded"}
        )
        _delete_later([old["image"], old["thumbnail"]])
    product.refresh_from_db()
    return product


def product_image_remove(*, actor, product: Product) -> Product:
    require_catalogue_manager(actor)
    with transaction.atomic():
        old = Product.objects.select_for_update().filter(pk=product.pk).values().first()
        Product.objects.filter(pk=product.pk).update(image="", thumbnail="")
        _audit_catalogue(
            actor, "product", product.public_id, {"name": product.name, "image": "removed"}
        )
        _delete_later([old["image"], old["thumbnail"]])
    product.refresh_from_db()
    return product


def image_content(name: str) -> bytes:
    """The bytes of a picture a product shows; anything else is "not found"."""
    if not _NAME.match(name or ""):
        raise ProductNotFound()
    field = "thumbnail" if name.endswith("-thumb.jpg") else "image"
    if not Product.objects.filter(**{field: name}).exists():
        raise ProductNotFound()
    try:
        with image_storage().open(f"{FOLDER}/{name}", "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        raise ProductNotFound() from None
