"""What the demo needs to make scans: a jaw drawn from the parametric arch as a scanner
export (optionally with the teeth where a setup's stage puts them)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from yachi.imaging.scans.geometry.arch import place
from yachi.imaging.scans.geometry.staging import Movement, stages
from yachi.imaging.scans.geometry.synthetic import jaw_stl


def synthetic_jaw(
    *, present: set[str], jaw: str, movements: dict | None = None, share_done: float = 1.0
) -> SimpleUploadedFile:
    """An STL of one jaw; with ``movements``, the teeth stand where the staging has them
    after ``share_done`` of its stages (0: today, before treatment)."""
    placed = place(present)
    poses = None
    if movements:
        moves = [Movement(t, *map(float, v)) for t, v in movements.items() if t in present]
        frames = stages(placed, moves)
        frame = frames[round(share_done * (len(frames) - 1))]
        poses = {p.tooth: p for p in frame}
    return SimpleUploadedFile(f"{jaw}.stl", jaw_stl(placed, jaw, poses=poses))
