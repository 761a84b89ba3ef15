"""Synthetic "scanner exports" for the demo and the tests: the parametric arch's crowns
on a horseshoe of gum, subdivided so that it is as dense as a real intraoral scan and
the converter has something to decimate. They are drawings, not scans of anyone."""

import math

import numpy as np
import trimesh

from yachi.imaging.scans.geometry.arch import Placed, shape
from yachi.imaging.scans.geometry.staging import Pose

GUM_RADII = (5.5, 4.0)  # buccolingual, vertical (mm)


def _crown(tooth: Placed, pose: Pose | None) -> trimesh.Trimesh:
    s = shape(tooth.kind, tooth.size)
    mesh = trimesh.Trimesh(vertices=np.array(s.vertices), faces=np.array(s.faces), process=False)
    x, y, z, yaw = (
        (pose.x, pose.y, pose.z, pose.yaw) if pose else (tooth.x, 0.0, tooth.z, tooth.yaw)
    )
    flip = np.eye(4)
    if tooth.jaw == "upper":
        # Upper crowns hang from the gum: their biting surface faces down.
        flip = trimesh.transformations.rotation_matrix(math.pi, [0, 0, 1])
    # The neck meets the gum, the biting surface the occlusal plane (y = 0).
    lift = trimesh.transformations.translation_matrix(
        [0, tooth.size[2] if tooth.jaw == "upper" else -tooth.size[2], 0]
    )
    turn = trimesh.transformations.rotation_matrix(yaw, [0, 1, 0])
    move = trimesh.transformations.translation_matrix([x, y, z])
    mesh.apply_transform(move @ turn @ lift @ flip)
    return mesh


def _gum(teeth: list[Placed], jaw: str) -> trimesh.Trimesh | None:
    path = sorted((t for t in teeth if t.jaw == jaw), key=lambda t: math.atan2(t.x, t.z))
    if len(path) < 2:
        return None
    height = max(t.size[2] for t in path)
    level = height if jaw == "upper" else -height
    centres = np.array([[t.x, level, t.z] for t in path])
    ring = 12
    vertices = []
    for i, c in enumerate(centres):
        ahead = centres[min(i + 1, len(centres) - 1)] - centres[max(i - 1, 0)]
        ahead[1] = 0
        ahead /= np.linalg.norm(ahead) or 1.0
        across = np.array([-ahead[2], 0.0, ahead[0]])
        for k in range(ring):
            a = 2 * math.pi * k / ring
            vertices.append(
                c
                + across * GUM_RADII[0] * math.cos(a)
                + np.array([0, GUM_RADII[1] * math.sin(a), 0])
            )
    faces = []
    for i in range(len(centres) - 1):
        for k in range(ring):
            a, b = i * ring + k, i * ring + (k + 1) % ring
            faces += [(a, b, a + ring), (b, b + ring, a + ring)]
    return trimesh.Trimesh(vertices=np.array(vertices), faces=np.array(faces), process=False)


def jaw_mesh(
    teeth: list[Placed], jaw: str, *, poses: dict[str, Pose] | None = None, subdivisions: int = 2
) -> trimesh.Trimesh:
    parts = [_crown(t, (poses or {}).get(t.tooth)) for t in teeth if t.jaw == jaw]
    gum = _gum(teeth, jaw)
    if gum is not None:
        parts.append(gum)
    mesh = trimesh.util.concatenate(parts)
    for _ in range(subdivisions):
        mesh = mesh.subdivide()
    return mesh


def jaw_stl(teeth: list[Placed], jaw: str, **options) -> bytes:
    """A binary STL of one jaw, as a scanner would export it."""
    return jaw_mesh(teeth, jaw, **options).export(file_type="stl")
