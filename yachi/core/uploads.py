"""Checks on uploaded images: the type is read from the content, not the name, the
size is limited, and the picture must really decode. What is kept is re-encoded
without metadata, so no EXIF location or camera data survives."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from yachi.core.errors import InvalidInput

# Decompression bombs: a small file that claims to be a huge picture.
Image.MAX_IMAGE_PIXELS = 40_000_000

_SIGNATURES = {
    b"\xff\xd8\xff": ("JPEG", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("PNG", "image/png"),
}


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    content_type: str
    width: int
    height: int


def _kind(head: bytes) -> tuple[str, str] | None:
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def clean_image(upload, *, max_side: int | None = None) -> CleanImage:
    """A JPEG or PNG photo, stripped of metadata, or a clear refusal; with ``max_side``,
    scaled down (never up) to fit within that many pixels each way."""
    limit = settings.YACHI_UPLOAD_MAX_BYTES
    if upload is None:
        raise InvalidInput(_("Choose a photo to upload."), code="file_missing")
    if upload.size > limit:
        raise InvalidInput(
            _("The photo is too large (at most %(mb)s MB).") % {"mb": limit // (1024 * 1024)},
            code="file_too_large",
        )
    data = upload.read(limit + 1)
    kind = _kind(data[:16])
    if kind is None:
        raise InvalidInput(_("Only JPEG or PNG photos can be uploaded."), code="file_type")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.format != kind[0]:
                raise InvalidInput(_("Only JPEG or PNG photos can be uploaded."), code="file_type")
            upright = ImageOps.exif_transpose(image)
            pixels = upright.convert("RGBA" if kind[0] == "PNG" else "RGB")
            # Built from the pixels alone: no EXIF, no comments, no embedded thumbnails.
            clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
            if max_side:
                clean.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            output = io.BytesIO()
            clean.save(output, format=kind[0])
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise InvalidInput(_("This file is not a readable photo."), code="file_unreadable") from exc
    return CleanImage(output.getvalue(), kind[1], clean.width, clean.height)
