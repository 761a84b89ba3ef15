"""Intraoral scan conversion: an export of a full jaw at scanner density (the demo's
synthetic jaw, subdivided) checked, parsed, decimated to the phone budget and written as
GLB; time per step and the sizes in and out.

    .venv/bin/python bench/scans.py [--subdivisions 4]

Pure geometry (no database, no Django): what a staff upload waits for before its row is
written.
"""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402

from yachi.imaging.scans.geometry.arch import place  # noqa: E402
from yachi.imaging.scans.geometry.meshes import PHONE_TRIANGLES, convert  # noqa: E402
from yachi.imaging.scans.geometry.synthetic import jaw_mesh  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subdivisions", type=int, default=4)
    args = parser.parse_args()
    teeth = place({f"{q}{p}" for q in (1, 2, 3, 4) for p in range(1, 8)})
    mesh = jaw_mesh(teeth, "upper", subdivisions=args.subdivisions)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    for kind, name in (
        ("stl", "jaw.stl"),
        ("stl_ascii", "jaw.stl"),
        ("ply", "jaw.ply"),
        ("obj", "jaw.obj"),
    ):
        data = mesh.export(file_type=kind)
        data = data.encode() if isinstance(data, str) else data
        started = time.perf_counter()
        converted = convert(data, name, phone_triangles=PHONE_TRIANGLES)
        seconds = time.perf_counter() - started
        print(
            f"{kind:9s} {len(data) / 2**20:7.1f} MiB, {converted.source_triangles:>9,} triangles "
            f"→ GLB {len(converted.glb) / 2**20:5.2f} MiB, {converted.triangles:,} triangles: "
            f"{seconds:5.2f} s"
        )


if __name__ == "__main__":
    main()
