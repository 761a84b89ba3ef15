"""From each patch's probability to regions a doctor can look at.

Patches at or above the model's threshold are joined with their neighbours (8-connected)
into regions; a region's box covers the central halves of its patches and its
probability is its strongest patch's. Boxes that overlap or touch are merged (one lesion
seen by two regions is one mark). Boxes are scaled back to the original picture's pixels
and given a tooth when the file says which teeth it shows: the picture is split evenly
across them, left to right, and the box's centre falls in one part.
"""

from dataclasses import dataclass

import numpy as np

from yachi.imaging.caries.detector.preprocess import CENTRE, STRIDE, Radiograph


@dataclass(frozen=True)
class Region:
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the original picture's pixels
    probability: float
    tooth: str  # FDI, or "" when the file does not say


def _touch(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def merge(boxes: list[tuple[tuple[float, float, float, float], float]]):
    """Union of boxes that overlap or touch, until none do; the strongest probability."""
    merged = list(boxes)
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                (a, pa), (b, pb) = merged[i], merged[j]
                if _touch(a, b):
                    union = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    merged[i] = (union, max(pa, pb))
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return merged


def tooth_at(x: float, *, columns: int, teeth: tuple[str, ...]) -> str:
    if not teeth:
        return ""
    part = min(max(int(x / (columns / len(teeth))), 0), len(teeth) - 1)
    return teeth[part]


def regions(probabilities: np.ndarray, radiograph: Radiograph, *, threshold: float) -> list[Region]:
    """``probabilities`` is the grid of patch probabilities (down × across)."""
    from scipy import ndimage  # only where regions are found, not at every start-up

    above = probabilities >= threshold
    labels, count = ndimage.label(above, structure=np.ones((3, 3), dtype=bool))
    low, high = CENTRE
    found = []
    for index in range(1, count + 1):
        cells = np.argwhere(labels == index)
        (top, left), (bottom, right) = cells.min(axis=0), cells.max(axis=0)
        box = (
            left * STRIDE + low,
            top * STRIDE + low,
            right * STRIDE + high,
            bottom * STRIDE + high,
        )
        found.append((box, float(probabilities[labels == index].max())))
    scale_x, scale_y = radiograph.scale
    out = []
    for (x0, y0, x1, y1), probability in merge(found):
        box = (
            max(int(np.floor(x0 * scale_x)), 0),
            max(int(np.floor(y0 * scale_y)), 0),
            min(int(np.ceil(x1 * scale_x)), radiograph.columns),
            min(int(np.ceil(y1 * scale_y)), radiograph.rows),
        )
        centre = (box[0] + box[2]) / 2
        out.append(
            Region(
                box=box,
                probability=round(probability, 4),
                tooth=tooth_at(centre, columns=radiograph.columns, teeth=radiograph.teeth),
            )
        )
    return sorted(out, key=lambda region: (-region.probability, region.box))
