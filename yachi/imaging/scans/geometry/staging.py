"""Orthodontic staging as a picture (正畸效果预测, shown as an illustration only).

Where positions come from: the *planned* position of each tooth is its place on the
parametric arch (``arch.place``), the textbook arch. The *current* position is that
place moved by the displacement the doctor recorded for the tooth at the orthodontic
assessment (mm along the arch, towards the cheek or the tongue, up or down, and a
rotation about the long axis). Nothing is measured from scans or X-rays, and nothing
predicts how real teeth will respond.

The steps follow the usual limit of one aligner: each tooth moves at most 0.25 mm and
2° per stage, all teeth from the first stage, each finishing when it reaches its place;
the plan has as many stages as its slowest tooth needs.
"""

import math
from dataclasses import dataclass

from yachi.imaging.scans.geometry.arch import Placed

MAX_MM_PER_STAGE = 0.25
MAX_DEGREES_PER_STAGE = 2.0
MAX_MM = 8.0  # a displacement recorded beyond this is a typing error, not a tooth
MAX_DEGREES = 45.0
# The largest displacements allowed above need at most 56 stages, so no tooth is ever
# asked to go faster than the limit.
MAX_STAGES = 60


class BadMovement(ValueError):
    pass


@dataclass(frozen=True)
class Movement:
    """How far the tooth stands today from its planned place."""

    tooth: str
    along: float = 0.0  # mm along the arch, + towards the back (distal)
    outward: float = 0.0  # mm, + towards the cheek or lips (buccal)
    up: float = 0.0  # mm, + out of the bone (extruded)
    rotation: float = 0.0  # degrees about the tooth's long axis

    def check(self) -> "Movement":
        for value in (self.along, self.outward, self.up):
            if not math.isfinite(value) or abs(value) > MAX_MM:
                raise BadMovement(self.tooth)
        if not math.isfinite(self.rotation) or abs(self.rotation) > MAX_DEGREES:
            raise BadMovement(self.tooth)
        return self

    def stages_needed(self) -> int:
        distance = math.sqrt(self.along**2 + self.outward**2 + self.up**2)
        return max(
            math.ceil(round(distance / MAX_MM_PER_STAGE, 6)),
            math.ceil(round(abs(self.rotation) / MAX_DEGREES_PER_STAGE, 6)),
        )


@dataclass(frozen=True)
class Pose:
    tooth: str
    x: float
    y: float
    z: float
    yaw: float  # radians


def _offset(placed: Placed, move: Movement, share: float) -> Pose:
    """The tooth's place moved by ``share`` of its displacement, in its own frame: along
    the tangent (distal is away from the midline), outward along the normal."""
    side = 1 if placed.x >= 0 else -1
    # The tangent of the arch where the tooth stands, pointing away from the midline.
    tangent = (math.cos(placed.yaw) * side, -math.sin(placed.yaw) * side)
    outward = (-tangent[1], tangent[0]) if side > 0 else (tangent[1], -tangent[0])
    along, out = move.along * share, move.outward * share
    up = move.up * share * (1 if placed.jaw == "lower" else -1)
    return Pose(
        tooth=placed.tooth,
        x=round(placed.x + along * tangent[0] + out * outward[0], 3),
        y=round(up, 3) + 0.0,
        z=round(placed.z + along * tangent[1] + out * outward[1], 3),
        yaw=round(placed.yaw + math.radians(move.rotation * share), 4),
    )


def stage_count(movements: list[Movement]) -> int:
    return min(max([m.stages_needed() for m in movements] + [1]), MAX_STAGES)


def stages(placed: list[Placed], movements: list[Movement]) -> list[list[Pose]]:
    """Stage 0 (today) to the last stage (the planned arch), every present tooth's pose
    at each; a tooth with no displacement recorded stays where it is."""
    moves = {m.tooth: m.check() for m in movements}
    total = stage_count(list(moves.values()))
    frames = []
    for stage in range(total + 1):
        frame = []
        for tooth in placed:
            move = moves.get(tooth.tooth, Movement(tooth=tooth.tooth))
            needed = min(max(move.stages_needed(), 1), total)
            # The share of the way still to go at this stage: all of it today, none at the end.
            remaining = 1.0 - min(stage / needed, 1.0)
            frame.append(_offset(tooth, move, remaining))
        frames.append(frame)
    return frames
