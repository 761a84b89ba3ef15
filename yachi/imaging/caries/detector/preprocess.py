"""From a DICOM file to the patches the model reads.

Windowing: the unit's own Window Center / Width (the first pair), else the picture's 1st
and 99th percentiles; MONOCHROME1 is inverted, so bright is always dense. Normalisation:
the window mapped to 0–1. Resampling: an intraoral sensor shows three or four teeth
whatever its resolution, so the picture is resized to ``WORK_ROWS`` rows (its aspect
kept) and the teeth have about the size the model learnt; boxes are scaled back after.
Tiling: square patches on a regular grid; each patch's features are its pixels averaged
in 2×2 blocks plus its mean, spread and the contrast of its centre.
"""

import io
from dataclasses import dataclass

import numpy as np
import pydicom
from numpy.lib.stride_tricks import sliding_window_view
from PIL import Image as PILImage

# What a model file must say it was trained on (its metadata ``features``).
FEATURES = "patch-2x2-mean-v1"
WORK_ROWS = 96
PATCH = 16
STRIDE = 4
# The part of a patch whose label it carries: the central half.
CENTRE = (PATCH // 4, PATCH - PATCH // 4)


class NotAnImage(ValueError):
    """The file has no greyscale picture the detector can read."""


@dataclass(frozen=True)
class Radiograph:
    pixels: np.ndarray  # float32, 0–1, WORK_ROWS rows
    rows: int  # the original picture's size
    columns: int
    teeth: tuple[str, ...]  # FDI, left to right as displayed, when the file says

    @property
    def scale(self) -> tuple[float, float]:
        """Original pixels per working pixel, across and down."""
        height, width = self.pixels.shape
        return self.columns / width, self.rows / height


def teeth_of(dataset) -> tuple[str, ...]:
    """The teeth a file says it shows: its Primary Anatomic Structure Sequence's items
    coded in ISO 3950 (FDI), in the order the unit listed them."""
    found = []
    for item in dataset.get("PrimaryAnatomicStructureSequence", []) or []:
        scheme = str(item.get("CodingSchemeDesignator", "")).strip().upper()
        code = str(item.get("CodeValue", "")).strip()
        if scheme == "ISO3950" and len(code) == 2 and code.isdigit():
            found.append(code)
    return tuple(found)


def _window(dataset, raw: np.ndarray) -> tuple[float, float]:
    centre, width = dataset.get("WindowCenter"), dataset.get("WindowWidth")
    try:
        centre = float(centre[0] if isinstance(centre, pydicom.multival.MultiValue) else centre)
        width = float(width[0] if isinstance(width, pydicom.multival.MultiValue) else width)
    except (TypeError, ValueError):
        centre = width = None
    if centre is None or not width or width <= 1:
        low, high = np.percentile(raw, [1, 99])
        return float((low + high) / 2), float(max(high - low, 1.0))
    return centre, width


def prepare(
    raw: np.ndarray, *, centre: float, width: float, inverted: bool = False, teeth=()
) -> Radiograph:
    """Window, normalise and resample one greyscale frame."""
    if raw.ndim != 2 or raw.shape[0] < 8 or raw.shape[1] < 8:
        raise NotAnImage("The picture is not one greyscale frame of at least 8×8 pixels.")
    low = centre - width / 2
    picture = np.clip((raw.astype(np.float32) - low) / width, 0.0, 1.0)
    if inverted:
        picture = 1.0 - picture
    rows, columns = picture.shape
    work_columns = max(round(columns * WORK_ROWS / rows), PATCH)
    resized = PILImage.fromarray(picture, mode="F").resize(
        (work_columns, WORK_ROWS), PILImage.Resampling.BOX
    )
    return Radiograph(
        pixels=np.asarray(resized, dtype=np.float32),
        rows=rows,
        columns=columns,
        teeth=tuple(teeth),
    )


def _read(data: bytes):
    try:
        dataset = pydicom.dcmread(io.BytesIO(data))
        raw = dataset.pixel_array
    except Exception as error:  # pydicom raises many kinds on what it cannot decode
        raise NotAnImage(f"The file's pixels cannot be decoded ({error}).") from error
    if int(dataset.get("SamplesPerPixel", 1) or 1) != 1:
        raise NotAnImage("The picture is not greyscale.")
    if raw.ndim == 3:
        raw = raw[0]
    if raw.ndim != 2:
        raise NotAnImage("The picture is not one greyscale frame.")
    centre, width = _window(dataset, raw)
    inverted = str(dataset.get("PhotometricInterpretation", "")).strip() == "MONOCHROME1"
    return dataset, raw, centre, width, inverted


def decode(data: bytes) -> Radiograph:
    """A DICOM Part 10 file's first frame, windowed, normalised and resampled."""
    dataset, raw, centre, width, inverted = _read(data)
    return prepare(raw, centre=centre, width=width, inverted=inverted, teeth=teeth_of(dataset))


def decode_full(data: bytes) -> np.ndarray:
    """The first frame windowed and normalised (0–1) at its own size, for display."""
    _dataset, raw, centre, width, inverted = _read(data)
    picture = np.clip((raw.astype(np.float32) - (centre - width / 2)) / width, 0.0, 1.0)
    return 1.0 - picture if inverted else picture


def grid(picture: np.ndarray) -> tuple[int, int]:
    """How many patches fit down and across."""
    height, width = picture.shape
    return (height - PATCH) // STRIDE + 1, (width - PATCH) // STRIDE + 1


def features(picture: np.ndarray) -> np.ndarray:
    """One row of features per patch, row-major over the grid (float32)."""
    down, across = grid(picture)
    windows = sliding_window_view(picture, (PATCH, PATCH))[::STRIDE, ::STRIDE][:down, :across]
    patches = windows.reshape(down * across, PATCH, PATCH)
    blocks = patches.reshape(-1, PATCH // 2, 2, PATCH // 2, 2).mean(axis=(2, 4))
    mean = patches.mean(axis=(1, 2))
    spread = patches.std(axis=(1, 2))
    low, high = CENTRE
    centre = patches[:, low:high, low:high].mean(axis=(1, 2)) - mean
    flat = blocks.reshape(len(patches), -1)
    return np.column_stack([flat, mean, spread, centre]).astype(np.float32)
