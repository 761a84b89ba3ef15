"""An X-ray as a picture for a document (a claim's attachments): the newest image of a
patient's studies at some clinics, windowed to 8-bit grey and encoded as PNG.

The caller decides who may see the patient and records the read in the audit trail.
"""

import io
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from PIL import Image as PillowImage
from pydicom import dcmread

from yachi.imaging.selectors import image_bytes, studies_of_patient

# A document needs a legible picture, not the full resolution of a panoramic unit.
MAX_SIDE = 1200


@dataclass(frozen=True)
class XrayPicture:
    png: bytes
    taken_at: datetime
    modality: str
    clinic: str
    width: int
    height: int


def _grey(dataset) -> np.ndarray:
    pixels = dataset.pixel_array.astype(np.float64)
    if pixels.ndim == 3:
        pixels = pixels[0]
    low, high = np.percentile(pixels, 1), np.percentile(pixels, 99)
    if high <= low:
        high = low + 1
    grey = np.clip((pixels - low) / (high - low) * 255, 0, 255).astype(np.uint8)
    if getattr(dataset, "PhotometricInterpretation", "") == "MONOCHROME1":
        grey = 255 - grey
    return grey


def latest_xray_picture(*, patient, clinic_ids: set[int] | None) -> XrayPicture | None:
    """The newest X-ray image of ``patient`` taken at these clinics, or None."""
    for study in studies_of_patient(patient=patient, clinic_ids=clinic_ids):
        for image in study.images.all():
            try:
                dataset = dcmread(io.BytesIO(image_bytes(image)))
                picture = PillowImage.fromarray(_grey(dataset), mode="L")
            except Exception:  # noqa: S112 - an image that cannot be drawn: try the next one
                continue
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            picture.save(out, format="PNG")
            return XrayPicture(
                png=out.getvalue(),
                taken_at=study.taken_at,
                modality=study.modality,
                clinic=study.clinic.name,
                width=picture.width,
                height=picture.height,
            )
    return None
