"""Scanner exports (STL, binary or ASCII; PLY; OBJ) checked and turned into a compact GLB.

Checks come before the expensive parse where the format allows (a binary STL says how
many triangles it holds, so a truncated or oversized one is refused from its header).
Watertightness is not required: intraoral scans are open at the gum line. Colours and
textures are dropped (the viewer shades the surface itself) and the mesh is decimated
with quadric simplification to a triangle budget a phone draws smoothly.
"""

import io
import struct
from dataclasses import dataclass

import numpy as np
import trimesh

FORMATS = ("stl", "ply", "obj")
PHONE_TRIANGLES = 50_000
MAX_TRIANGLES = 3_000_000


class MeshRefused(ValueError):
    """Why a file cannot be kept; ``code`` is stable, the caller words the message."""

    def __init__(self, code: str, **details):
        self.code = code
        self.details = details
        super().__init__(code)


@dataclass(frozen=True)
class Converted:
    glb: bytes
    source_format: str
    source_triangles: int
    triangles: int
    vertices: int
    watertight: bool
    extent_mm: tuple[float, float, float]


def format_of(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in FORMATS:
        raise MeshRefused("scan_unsupported_format")
    return suffix


def _check_stl(data: bytes, max_triangles: int) -> None:
    head = data[:512].lstrip().lower()
    if len(data) >= 84:
        (count,) = struct.unpack_from("<I", data, 80)
        if len(data) == 84 + 50 * count:
            if count > max_triangles:
                raise MeshRefused("scan_too_many_triangles", triangles=count)
            return  # a complete binary STL (its header may even start with "solid")
    if head.startswith(b"solid"):
        if b"facet" not in data[:4096].lower() and len(data) > 200:
            raise MeshRefused("scan_not_a_mesh")
        if b"endsolid" not in data[-1024:].lower():
            raise MeshRefused("scan_truncated")
        return
    if len(data) < 84:
        raise MeshRefused("scan_truncated" if len(data) else "scan_empty")
    (count,) = struct.unpack_from("<I", data, 80)
    expected = 84 + 50 * count
    # A cut-off file holds a good part of what its header promises; anything else that
    # does not add up (text, a picture) is no STL at all.
    if count and len(data) < expected and len(data) > expected / 20:
        raise MeshRefused("scan_truncated")
    raise MeshRefused("scan_not_a_mesh")


def _sniff(data: bytes, kind: str) -> None:
    text = data[:4096]
    if kind == "ply" and not text.startswith(b"ply"):
        raise MeshRefused("scan_not_a_mesh")
    if kind == "obj":
        if b"\x00" in text:
            raise MeshRefused("scan_not_a_mesh")
        lines = text.splitlines()
        if not any(line.lstrip().startswith((b"v ", b"f ", b"#", b"o ", b"g ")) for line in lines):
            raise MeshRefused("scan_not_a_mesh")


def read_mesh(data: bytes, kind: str, *, max_triangles: int = MAX_TRIANGLES) -> trimesh.Trimesh:
    """The triangles of one export, or ``MeshRefused``."""
    if kind not in FORMATS:
        raise MeshRefused("scan_unsupported_format")
    if not data.strip():
        raise MeshRefused("scan_empty")
    if kind == "stl":
        _check_stl(data, max_triangles)
    else:
        _sniff(data, kind)
    try:
        mesh = trimesh.load(io.BytesIO(data), file_type=kind, force="mesh", process=False)
    except (ValueError, IndexError, KeyError, TypeError, struct.error, UnicodeDecodeError) as error:
        text = str(error).lower()
        truncated = "length" in text or "end" in text or isinstance(error, struct.error)
        raise MeshRefused("scan_truncated" if truncated else "scan_not_a_mesh") from None
    if not isinstance(mesh, trimesh.Trimesh) or len(mesh.faces) == 0:
        raise MeshRefused("scan_empty")
    if len(mesh.faces) > max_triangles:
        raise MeshRefused("scan_too_many_triangles", triangles=len(mesh.faces))
    if not np.isfinite(mesh.vertices).all():
        raise MeshRefused("scan_not_a_mesh")
    if len(mesh.faces) and mesh.faces.max() >= len(mesh.vertices):
        raise MeshRefused("scan_truncated")
    mesh = trimesh.Trimesh(vertices=mesh.vertices, faces=mesh.faces, process=True)
    mesh.update_faces(mesh.nondegenerate_faces())
    mesh.remove_unreferenced_vertices()
    if len(mesh.faces) == 0:
        raise MeshRefused("scan_empty")
    return mesh


def decimate(mesh: trimesh.Trimesh, *, triangles: int = PHONE_TRIANGLES) -> trimesh.Trimesh:
    if len(mesh.faces) <= triangles:
        return mesh
    return mesh.simplify_quadric_decimation(face_count=triangles)


def to_glb(mesh: trimesh.Trimesh) -> bytes:
    """Positions as float32 and indices only: the viewer computes normals, which keeps the
    file near a third smaller."""
    plain = trimesh.Trimesh(
        vertices=mesh.vertices.astype(np.float32), faces=mesh.faces, process=False
    )
    return plain.export(file_type="glb", include_normals=False)


def convert(
    data: bytes,
    filename: str,
    *,
    max_triangles: int = MAX_TRIANGLES,
    phone_triangles: int = PHONE_TRIANGLES,
) -> Converted:
    kind = format_of(filename)
    mesh = read_mesh(data, kind, max_triangles=max_triangles)
    source_triangles = len(mesh.faces)
    watertight = bool(mesh.is_watertight)
    small = decimate(mesh, triangles=phone_triangles)
    extent = tuple(round(float(v), 1) for v in small.extents)
    return Converted(
        glb=to_glb(small),
        source_format=kind,
        source_triangles=source_triangles,
        triangles=len(small.faces),
        vertices=len(small.vertices),
        watertight=watertight,
        extent_mm=extent,
    )
