"""A parametric model of a dentition: each present tooth a simple shape by its type,
placed along a parabolic arch curve (ADR 0062).

Nothing here is measured from the patient: the curve and the crown sizes are textbook
averages (permanent and primary crowns, in mm), so the model shows *which* teeth are
there and how they are coloured, not their real shape or place.

Coordinates in mm: x to the patient's left, y up, z forward (towards the lips); the
occlusal plane is y = 0, upper crowns above it, lower crowns below.
"""

import itertools
import math
from dataclasses import dataclass

# (mesiodistal width, buccolingual depth, crown height) by position from the midline.
UPPER = {
    1: (8.5, 7.0, 10.5),
    2: (6.5, 6.0, 9.0),
    3: (7.5, 8.0, 10.0),
    4: (7.0, 9.0, 8.5),
    5: (6.5, 9.0, 7.5),
    6: (10.0, 11.0, 7.5),
    7: (9.0, 10.5, 7.0),
    8: (8.5, 10.0, 6.5),
}
LOWER = {
    1: (5.0, 6.0, 9.0),
    2: (5.5, 6.0, 9.5),
    3: (7.0, 7.5, 11.0),
    4: (7.0, 7.5, 8.0),
    5: (7.0, 8.0, 8.0),
    6: (11.0, 10.5, 7.5),
    7: (10.5, 10.0, 7.0),
    8: (10.0, 9.5, 7.0),
}
UPPER_PRIMARY = {
    1: (6.5, 5.0, 6.0),
    2: (5.1, 4.0, 5.6),
    3: (7.0, 7.0, 6.5),
    4: (7.3, 8.5, 5.1),
    5: (8.2, 10.0, 5.7),
}
LOWER_PRIMARY = {
    1: (4.2, 4.0, 5.0),
    2: (4.1, 4.0, 5.2),
    3: (5.0, 5.8, 6.0),
    4: (7.7, 7.0, 6.0),
    5: (9.9, 8.7, 5.5),
}
# The arch curve z = depth · (1 − (x / half_width)²), per jaw and dentition.
CURVES = {
    ("upper", False): (50.0, 30.0),
    ("lower", False): (46.0, 28.0),
    ("upper", True): (36.0, 24.0),
    ("lower", True): (33.0, 22.5),
}
CONTACT_GAP = 0.2  # mm between neighbouring crowns, so that each reads as its own
SEGMENTS = 16  # around a crown
RINGS = 6  # from the neck to the biting surface


@dataclass(frozen=True)
class Placed:
    tooth: str
    kind: str  # incisor, canine, premolar, molar
    jaw: str  # upper, lower
    primary: bool
    shape: str  # the key of its shape (teeth of the same size share one)
    x: float
    z: float
    yaw: float  # radians: the crown's mesiodistal axis along the arch's tangent
    size: tuple[float, float, float]


@dataclass(frozen=True)
class Shape:
    vertices: list[tuple[float, float, float]]
    faces: list[tuple[int, int, int]]


def kind_of(tooth: str) -> str:
    primary, position = tooth[0] in "5678", int(tooth[1])
    if position <= 2:
        return "incisor"
    if position == 3:
        return "canine"
    if position <= 5 and not primary:
        return "premolar"
    return "molar"  # 6–8, and the primary molars 4–5


def jaw_of(tooth: str) -> str:
    return "lower" if tooth[0] in "3478" else "upper"


def side_of(tooth: str) -> int:
    """+1 for the patient's left (quadrants 2, 3, 6, 7), −1 for the right."""
    return 1 if tooth[0] in "2367" else -1


def size_of(tooth: str) -> tuple[float, float, float]:
    primary, position = tooth[0] in "5678", int(tooth[1])
    table = {
        ("upper", False): UPPER,
        ("lower", False): LOWER,
        ("upper", True): UPPER_PRIMARY,
        ("lower", True): LOWER_PRIMARY,
    }
    return table[(jaw_of(tooth), primary)][position]


def _curve_table(depth: float, half: float, *, samples: int = 800):
    """Arc length along the curve from the midline, sampled (x, z, s) for x ≥ 0."""
    points, s = [(0.0, depth, 0.0)], 0.0
    step = 2 * half / samples
    for i in range(1, samples + 1):
        x = i * step
        z = depth * (1 - (x / half) ** 2)
        px, pz, _ = points[-1]
        s += math.hypot(x - px, z - pz)
        points.append((x, z, s))
    return points


def _at_length(table, s: float) -> tuple[float, float, float]:
    """The point at arc length ``s`` and the tangent's angle there."""
    for (x0, z0, s0), (x1, z1, s1) in itertools.pairwise(table):
        if s1 >= s:
            f = (s - s0) / (s1 - s0) if s1 > s0 else 0.0
            return x0 + f * (x1 - x0), z0 + f * (z1 - z0), math.atan2(z1 - z0, x1 - x0)
    (x0, z0, _), (x1, z1, _) = table[-2], table[-1]
    return x1, z1, math.atan2(z1 - z0, x1 - x0)


def place(present: set[str]) -> list[Placed]:
    """Each present tooth at its place on its arch; a missing tooth leaves its gap (the
    next tooth does not slide into it), as on the chart. Primary teeth sit on the
    smaller arch when the quadrant has no permanent tooth in front of them erupted."""
    placed = []
    for quadrant in (1, 2, 3, 4):
        primary_quadrant = quadrant + 4
        child = any(f"{primary_quadrant}{p}" in present for p in range(1, 6))
        adult_front = any(f"{quadrant}{p}" in present for p in (1, 2, 6))
        uses_primary_curve = child and not adult_front
        jaw = "upper" if quadrant in (1, 2) else "lower"
        depth, half = CURVES[(jaw, uses_primary_curve)]
        table = _curve_table(depth, half)
        s = 0.0
        for position in range(1, 9):
            permanent, baby = f"{quadrant}{position}", f"{primary_quadrant}{position}"
            shown = permanent if permanent in present else None
            if shown is None and position <= 5 and baby in present:
                shown = baby
            width = size_of(shown or permanent)[0]
            if shown is not None:
                x, z, angle = _at_length(table, s + width / 2)
                side = side_of(shown)
                primary = shown[0] in "5678"
                placed.append(
                    Placed(
                        tooth=shown,
                        kind=kind_of(shown),
                        jaw=jaw,
                        primary=primary,
                        shape=f"{jaw[0]}{'p' if primary else ''}{position}",
                        x=round(side * x, 3),
                        z=round(z, 3),
                        yaw=round(-side * angle, 4),
                        size=size_of(shown),
                    )
                )
            s += width + CONTACT_GAP
    return placed


def _profile(kind: str, t: float) -> tuple[float, float]:
    """How wide the crown is at height ``t`` (0 neck, 1 biting surface), mesiodistally and
    buccolingually, as a share of its full size."""
    bulge = 0.85 + 0.15 * math.sin(math.pi * min(t * 1.4, 1.0))
    if kind == "incisor":
        return bulge * (1.0 - 0.05 * t), bulge * (1.0 - 0.7 * t**1.5)
    if kind == "canine":
        return bulge * (1.0 - 0.55 * t**2), bulge * (1.0 - 0.5 * t**2)
    return bulge, bulge * (1.0 - 0.1 * t)


def _cusps(kind: str, angle: float) -> float:
    """How high the biting ring rises at this angle around the crown: two cusps for a
    premolar (buccal and lingual), four for a molar, one tip for a canine."""
    if kind == "premolar":
        return 0.08 * max(math.cos(2 * angle), 0)
    if kind == "molar":
        return 0.07 * max(
            math.cos(2 * angle + math.pi / 4) * math.cos(2 * angle - math.pi / 4) * 2, 0
        )
    return 0.0


def shape(kind: str, size: tuple[float, float, float]) -> Shape:
    """A closed crown: rings of an ellipse from the neck up, a fossa or a tip on top.
    Local frame: x mesiodistal, y from the neck (0) to the biting surface (height),
    z buccolingual."""
    width, depth, height = size
    vertices: list[tuple[float, float, float]] = []
    for ring in range(RINGS):
        t = ring / (RINGS - 1)
        md, bl = _profile(kind, t)
        for k in range(SEGMENTS):
            a = 2 * math.pi * k / SEGMENTS
            y = height * (t + (_cusps(kind, a) if ring == RINGS - 1 else 0.0))
            vertices.append(
                (
                    round(width / 2 * md * math.cos(a), 3),
                    round(y, 3),
                    round(depth / 2 * bl * math.sin(a), 3),
                )
            )
    top_height = {"canine": 1.08, "incisor": 1.0, "premolar": 0.97, "molar": 0.95}[kind]
    bottom, top = len(vertices), len(vertices) + 1
    vertices += [(0.0, 0.0, 0.0), (0.0, round(height * top_height, 3), 0.0)]
    faces: list[tuple[int, int, int]] = []
    for ring in range(RINGS - 1):
        for k in range(SEGMENTS):
            a, b = ring * SEGMENTS + k, ring * SEGMENTS + (k + 1) % SEGMENTS
            c, d = a + SEGMENTS, b + SEGMENTS
            faces += [(a, c, b), (b, c, d)]
    last = (RINGS - 1) * SEGMENTS
    for k in range(SEGMENTS):
        faces.append((bottom, k, (k + 1) % SEGMENTS))
        faces.append((top, last + (k + 1) % SEGMENTS, last + k))
    return Shape(vertices=vertices, faces=faces)


def shapes_for(placed: list[Placed]) -> dict[str, Shape]:
    return {p.shape: shape(p.kind, p.size) for p in placed}
