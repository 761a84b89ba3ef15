"""The chart's SVG geometry: 32 places in two rows, each tooth as five surfaces (the
centre is occlusal / incisal, the sides mesial and distal, top and bottom buccal and
lingual as the dentist looks at the patient)."""

from dataclasses import dataclass

from yachi.clinical.selectors import ChartView, ToothView

SIZE = 40
GAP = 6
MIDLINE = 10


@dataclass(frozen=True)
class SurfaceShape:
    code: str
    points: str
    finding: str


@dataclass(frozen=True)
class ToothShape:
    view: ToothView
    x: int
    y: int
    surfaces: list[SurfaceShape]
    label_y: int


def _polygons(x: int, y: int, *, upper: bool, mesial_right: bool) -> dict[str, str]:
    s, i = SIZE, SIZE // 4
    outer = {"tl": (x, y), "tr": (x + s, y), "br": (x + s, y + s), "bl": (x, y + s)}
    inner = {
        "tl": (x + i, y + i),
        "tr": (x + s - i, y + i),
        "br": (x + s - i, y + s - i),
        "bl": (x + i, y + s - i),
    }

    def pts(*corners):
        return " ".join(f"{a},{b}" for a, b in corners)

    top = pts(outer["tl"], outer["tr"], inner["tr"], inner["tl"])
    bottom = pts(outer["bl"], outer["br"], inner["br"], inner["bl"])
    left = pts(outer["tl"], inner["tl"], inner["bl"], outer["bl"])
    right = pts(outer["tr"], inner["tr"], inner["br"], outer["br"])
    centre = pts(inner["tl"], inner["tr"], inner["br"], inner["bl"])
    return {
        "O": centre,
        "B": top if upper else bottom,
        "L": bottom if upper else top,
        "M": right if mesial_right else left,
        "D": left if mesial_right else right,
    }


def chart_shapes(chart: ChartView) -> list[ToothShape]:
    shapes = []
    drawn = set()
    for view in chart.teeth:
        slot = view.slot
        if (slot.quadrant, slot.position) in drawn or view.tooth != slot.tooth:
            continue  # one drawing per place; the other tooth's history is listed below
        drawn.add((slot.quadrant, slot.position))
        upper = slot.quadrant in (1, 2)
        left_half = slot.quadrant in (1, 4)
        column = (8 - slot.position) if left_half else (7 + slot.position)
        x = column * (SIZE + GAP) + (MIDLINE if not left_half else 0)
        y = 20 if upper else 20 + SIZE + 40
        polygons = _polygons(x, y, upper=upper, mesial_right=left_half)
        shapes.append(
            ToothShape(
                view=view,
                x=x,
                y=y,
                surfaces=[
                    SurfaceShape(code=code, points=points, finding=view.surfaces.get(code, ""))
                    for code, points in polygons.items()
                ],
                label_y=y - 6 if upper else y + SIZE + 14,
            )
        )
    return shapes


WIDTH = 16 * (SIZE + GAP) + MIDLINE
HEIGHT = 20 + SIZE + 40 + SIZE + 20
