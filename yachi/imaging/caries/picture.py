"""An image as a PNG the browser can draw marks over: the first frame, windowed by the
unit's own Window Center / Width, at its own size (so boxes in the image's pixels fall
where they belong). Served only by the access-checked routes, never cached."""

import io

import numpy as np
from django.http import HttpResponse
from PIL import Image as PILImage

from yachi.imaging.caries.detector.preprocess import NotAnImage, decode_full
from yachi.imaging.selectors import image_bytes


def png_of(data: bytes) -> bytes:
    picture = decode_full(data)
    out = io.BytesIO()
    PILImage.fromarray((picture * 255).round().astype(np.uint8), mode="L").save(out, "PNG")
    return out.getvalue()


def picture_response(image) -> HttpResponse:
    try:
        body = png_of(image_bytes(image))
    except NotAnImage:
        response = HttpResponse(status=404)
    else:
        response = HttpResponse(body, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response
