"""The pure geometry: scanner exports checked and converted, the parametric arch, the
staging steps. No database."""

import io
import itertools
import struct

import pytest
import trimesh

from yachi.clinical.odontogram.teeth import PERMANENT, expected_teeth
from yachi.imaging.scans.geometry.arch import kind_of, place, shape, shapes_for
from yachi.imaging.scans.geometry.meshes import MeshRefused, convert
from yachi.imaging.scans.geometry.staging import (
    MAX_DEGREES_PER_STAGE,
    MAX_MM_PER_STAGE,
    BadMovement,
    Movement,
    stages,
)
from yachi.imaging.scans.geometry.synthetic import jaw_mesh, jaw_stl


@pytest.fixture(scope="module")
def jaw():
    return jaw_mesh(place(set(PERMANENT)), "lower", subdivisions=1)


def _refused(data, name):
    with pytest.raises(MeshRefused) as caught:
        convert(data, name)
    return caught.value.code


@pytest.mark.parametrize(
    "file_type,name", [("stl", "a.stl"), ("stl_ascii", "a.stl"), ("ply", "a.ply"), ("obj", "a.obj")]
)
def test_every_export_format_becomes_a_glb_with_the_same_triangles(jaw, file_type, name):
    data = jaw.export(file_type=file_type)
    converted = convert(data.encode() if isinstance(data, str) else data, name)
    back = trimesh.load(io.BytesIO(converted.glb), file_type="glb", force="mesh")
    assert converted.source_triangles == len(back.faces) == converted.triangles
    assert converted.glb[:4] == b"glTF"


def test_a_dense_scan_is_decimated_for_the_phone(jaw):
    converted = convert(jaw.subdivide().export(file_type="stl"), "dense.stl", phone_triangles=5000)
    assert converted.source_triangles > 20000
    assert converted.triangles <= 5000
    back = trimesh.load(io.BytesIO(converted.glb), file_type="glb", force="mesh")
    # Decimation keeps the jaw's size: the same bounding box within half a millimetre.
    assert abs(back.extents - jaw.extents).max() < 0.5


def test_a_scan_need_not_be_watertight(jaw):
    open_jaw = jaw.copy()
    open_jaw.update_faces(list(range(len(open_jaw.faces) - 50)))
    converted = convert(open_jaw.export(file_type="stl"), "open.stl")
    assert converted.watertight is False and converted.triangles > 0


def test_bad_files_are_refused_with_a_reason(jaw):
    binary = jaw.export(file_type="stl")
    ascii_stl = jaw.export(file_type="stl_ascii").encode()
    ply = jaw.export(file_type="ply")
    assert _refused(b"%PDF-1.7 a letter, not a scan" * 20, "scan.stl") == "scan_not_a_mesh"
    assert _refused(b"\x89PNG\r\n\x1a\n" + b"\0" * 300, "scan.ply") == "scan_not_a_mesh"
    assert _refused(binary[: len(binary) // 2], "cut.stl") == "scan_truncated"
    assert _refused(ascii_stl[: len(ascii_stl) // 2], "cut.stl") == "scan_truncated"
    assert _refused(ply[: len(ply) // 2], "cut.ply") == "scan_truncated"
    assert _refused(b"", "empty.stl") == "scan_empty"
    assert _refused(b"\0" * 80 + struct.pack("<I", 0), "none.stl") == "scan_empty"
    assert _refused(b"# nothing here\n", "empty.obj") == "scan_empty"
    assert _refused(binary, "scan.3mf") == "scan_unsupported_format"
    with pytest.raises(MeshRefused) as caught:
        convert(binary, "big.stl", max_triangles=100)
    assert caught.value.code == "scan_too_many_triangles"


def test_teeth_have_shapes_by_type():
    assert [kind_of(t) for t in ("11", "12", "13", "14", "15", "16", "55", "53")] == [
        "incisor",
        "incisor",
        "canine",
        "premolar",
        "premolar",
        "molar",
        "molar",
        "canine",
    ]
    molar, incisor = shape("molar", (10, 11, 7.5)), shape("incisor", (8.5, 7, 10.5))
    for crown in (molar, incisor):
        mesh = trimesh.Trimesh(crown.vertices, crown.faces, process=False)
        assert mesh.is_watertight and mesh.volume > 0  # closed, faces outward
    assert (
        trimesh.Trimesh(molar.vertices, molar.faces).extents[0]
        > trimesh.Trimesh(incisor.vertices, incisor.faces).extents[2]
    )


def test_the_arch_places_present_teeth_symmetrically_and_leaves_gaps():
    full = {p.tooth: p for p in place(set(PERMANENT))}
    assert len(full) == 32
    assert full["11"].x == -full["21"].x and full["11"].z == full["21"].z
    assert full["11"].z > full["13"].z > full["16"].z  # front to back
    gap = {p.tooth: p for p in place(set(PERMANENT) - {"36"})}
    assert "36" not in gap and gap["37"] == full["37"]  # a missing tooth leaves its gap
    assert len(shapes_for(list(full.values()))) == 16  # left and right share shapes


def test_a_child_has_primary_teeth_on_a_smaller_arch():
    child = place(expected_teeth(48))
    assert {p.tooth[0] for p in child} == {"5", "6", "7", "8"}
    adult = {p.tooth: p for p in place(set(PERMANENT))}
    assert max(p.z for p in child) < adult["11"].z


def test_staging_starts_today_ends_planned_and_keeps_each_step_small():
    placed = place(set(PERMANENT))
    moves = [Movement("11", outward=1.5, rotation=12), Movement("21", along=-0.6, up=0.4)]
    frames = stages(placed, moves)
    by_index = {p.tooth: i for i, p in enumerate(placed)}
    assert len(frames) - 1 == 6  # 1.5 mm at 0.25 mm, and 12° at 2°, a stage
    i = by_index["11"]
    assert frames[-1][i].x == placed[i].x and frames[-1][i].z == placed[i].z
    assert frames[0][i].z > placed[i].z  # today the incisor stands forward of the arch
    for before, after in itertools.pairwise(frames):
        for a, b in zip(before, after, strict=False):
            step = ((a.x - b.x) ** 2 + (a.y - b.y) ** 2 + (a.z - b.z) ** 2) ** 0.5
            assert step <= MAX_MM_PER_STAGE + 1e-3
            assert abs(a.yaw - b.yaw) <= MAX_DEGREES_PER_STAGE * 3.1416 / 180 + 1e-3
    still = by_index["46"]
    assert frames[0][still] == frames[-1][still]


def test_an_impossible_movement_is_refused():
    with pytest.raises(BadMovement):
        stages(place(set(PERMANENT)), [Movement("11", along=30)])


def test_the_synthetic_jaw_is_a_valid_export():
    data = jaw_stl(place(set(PERMANENT)), "upper", subdivisions=0)
    assert convert(data, "upper.stl").triangles > 1000
