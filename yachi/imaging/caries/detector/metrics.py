"""Per-lesion scoring of marks against drawn lesions.

A mark finds a lesion when the lesion's centre lies inside the mark's box or their boxes
overlap by at least ``MIN_IOU`` (intersection over union); each lesion is found at most
once, the strongest marks choosing first. Sensitivity is the share of lesions found,
precision the share of marks that found one, F1 their harmonic mean.
"""

from dataclasses import dataclass

MIN_IOU = 0.1


@dataclass
class Tally:
    lesions: int = 0
    marks: int = 0
    found: int = 0  # lesions found (= marks that found one)
    clean_pictures: int = 0
    marks_on_clean: int = 0

    def add(self, other: "Tally") -> None:
        for name in ("lesions", "marks", "found", "clean_pictures", "marks_on_clean"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def sensitivity(self) -> float:
        return self.found / self.lesions if self.lesions else 0.0

    @property
    def precision(self) -> float:
        return self.found / self.marks if self.marks else 0.0

    @property
    def f1(self) -> float:
        total = self.sensitivity + self.precision
        return 2 * self.sensitivity * self.precision / total if total else 0.0


def iou(a, b) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


def _finds(mark, lesion) -> bool:
    cx, cy = (lesion[0] + lesion[2]) / 2, (lesion[1] + lesion[3]) / 2
    inside = mark[0] <= cx <= mark[2] and mark[1] <= cy <= mark[3]
    return inside or iou(mark, lesion) >= MIN_IOU


def matched(marks: list[tuple[tuple, float]], lesions: list[tuple]) -> set[int]:
    """The indices of the lesions the marks find."""
    left = list(range(len(lesions)))
    found = set()
    for box, _probability in sorted(marks, key=lambda mark: -mark[1]):
        hit = next((index for index in left if _finds(box, lesions[index])), None)
        if hit is not None:
            left.remove(hit)
            found.add(hit)
    return found


def score(marks: list[tuple[tuple, float]], lesions: list[tuple]) -> Tally:
    """``marks``: (box, probability); ``lesions``: boxes, all in one picture's pixels."""
    found = len(matched(marks, lesions))
    return Tally(
        lesions=len(lesions),
        marks=len(marks),
        found=found,
        clean_pictures=0 if lesions else 1,
        marks_on_clean=0 if lesions else len(marks),
    )
