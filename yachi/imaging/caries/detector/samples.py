"""Labelled pictures for training and measuring: synthetic bitewing-like radiographs
(``imaging.dicom.synthetic``) with the lesions drawn on them, at the sizes sensors send.

Each set has its own range of seeds, so the held-out pictures are never trained on.
"""

from dataclasses import dataclass

import numpy as np

from yachi.imaging.caries.detector.preprocess import (
    CENTRE,
    STRIDE,
    Radiograph,
    features,
    grid,
    prepare,
)
from yachi.imaging.dicom.synthetic import draw

SEEDS = {"train": 1_000_000, "validation": 2_000_000, "held_out": 3_000_000}
# (rows, columns) a sensor sends, and how many teeth it shows.
SIZES = ((96, 128), (192, 256), (240, 320))
LESION_RATE = 0.35
WINDOW = (2000.0, 3000.0)  # the synthetic files' Window Center / Width


@dataclass(frozen=True)
class Sample:
    radiograph: Radiograph
    lesions: tuple[tuple[int, int, int, int], ...]  # boxes in the original pixels
    depths: tuple[float, ...] = ()  # how much darker each lesion was drawn (of 4095)


def sample(kind: str, index: int) -> Sample:
    seed = SEEDS[kind] + index
    rng = np.random.default_rng(seed)
    rows, columns = SIZES[int(rng.integers(len(SIZES)))]
    teeth = int(rng.integers(3, 5))
    # One picture in six is clean: false marks on healthy teeth are counted too.
    rate = 0.0 if rng.uniform() < 1 / 6 else LESION_RATE
    drawing = draw(rows, columns, teeth=teeth, seed=seed, lesion_rate=rate)
    radiograph = prepare(drawing.pixels, centre=WINDOW[0], width=WINDOW[1])
    return Sample(
        radiograph,
        tuple(lesion.box for lesion in drawing.lesions),
        tuple(lesion.depth for lesion in drawing.lesions),
    )


def patch_labels(item: Sample) -> np.ndarray:
    """Per patch: 1 when a lesion's centre lies in its central half, 0 when no lesion
    touches the patch, -1 (left out of training) when one lies in it off-centre."""
    down, across = grid(item.radiograph.pixels)
    labels = np.zeros((down, across), dtype=np.int8)
    scale_x, scale_y = item.radiograph.scale
    low, high = CENTRE
    for x0, y0, x1, y1 in item.lesions:
        cx, cy = (x0 + x1) / 2 / scale_x, (y0 + y1) / 2 / scale_y
        for row in range(down):
            for column in range(across):
                left, top = column * STRIDE, row * STRIDE
                if left + low <= cx < left + high and top + low <= cy < top + high:
                    labels[row, column] = 1
                elif (
                    labels[row, column] == 0
                    and left <= cx < left + 2 * high - low
                    and (top <= cy < top + 2 * high - low)
                ):
                    labels[row, column] = -1
    return labels.reshape(-1)


def patches(kind: str, count: int, *, negatives_kept: float, seed: int, progress=None):
    """Features and labels of ``count`` pictures' patches, with a share of the negatives."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for index in range(count):
        item = sample(kind, index)
        x = features(item.radiograph.pixels)
        y = patch_labels(item)
        keep = (y == 1) | ((y == 0) & (rng.uniform(size=len(y)) < negatives_kept))
        rows.append(x[keep])
        labels.append(y[keep])
        if progress is not None:
            progress(index + 1, count)
    return np.concatenate(rows), np.concatenate(labels).astype(np.int64)
