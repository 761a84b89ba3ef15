"""Measure a caries model on held-out synthetic pictures and write the report.

    python -m yachi.imaging.caries.detector.evaluate [--model FILE] [--pictures N] [--out FILE]

The pictures come from the held-out seeds (never trained on, never used to choose the
threshold), through the same preprocessing and post-processing as a received X-ray.
The report says what the figures are of: drawn lesions on drawn teeth, not patients.
"""

import argparse
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from yachi.imaging.caries.detector import metrics, samples
from yachi.imaging.caries.detector.detect import regions_of_radiograph
from yachi.imaging.caries.detector.runtime import SHIPPED, load
from yachi.imaging.caries.detector.train import Progress

REPORT = Path("docs/caries-model.md")


# Lesions by how much darker than the tooth they were drawn (of 4095 grey levels).
CONTRASTS = ((300, 600, "faint"), (600, 1000, "medium"), (1000, 1401, "clear"))


def measure(model, pictures: int, progress=None):
    """Tallies overall and by picture size, and per contrast band (lesions, found)."""
    tallies = {"all": metrics.Tally()}
    bands = {name: [0, 0] for _low, _high, name in CONTRASTS}
    for index in range(pictures):
        item = samples.sample("held_out", index)
        found = regions_of_radiograph(model, item.radiograph)
        marks = [(r.box, r.probability) for r in found]
        tally = metrics.score(marks, list(item.lesions))
        hits = metrics.matched(marks, list(item.lesions))
        for number, depth in enumerate(item.depths):
            name = next(n for low, high, n in CONTRASTS if low <= depth < high)
            bands[name][0] += 1
            bands[name][1] += number in hits
        tallies["all"].add(tally)
        size = f"{item.radiograph.rows}×{item.radiograph.columns}"
        tallies.setdefault(size, metrics.Tally()).add(tally)
        if progress:
            progress(index + 1, pictures)
    return tallies, bands


def machine() -> str:
    cores = os.cpu_count()
    return f"{platform.processor() or platform.machine()}, {cores} cores, Python {platform.python_version()}"


def report(model, tallies: dict[str, metrics.Tally], bands, pictures: int) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# The caries model: what it is and how well it does",
        "",
        "**演示模型，非临床诊断用 — a demonstration model, not for clinical diagnosis.**",
        "",
        "No public dental model can be used here, so Yachi trains its own small model on",
        "radiograph-like pictures it draws itself, with lesions drawn on them",
        "(`yachi/imaging/dicom/synthetic.py`, `yachi/imaging/caries/detector/`, ADR 0061).",
        "The figures below are of those drawn lesions on drawn teeth. They say that the",
        "pipeline works and how the model behaves on its own kind of picture; they say",
        "nothing about real radiographs or real caries. Real use needs a model trained and",
        "validated on real, labelled radiographs, plugged in with `YACHI_CARIES_MODEL`.",
        "",
        f"- model: `{model.version}` (`{model.path.name}`), threshold {model.threshold:.2f}",
        f"- held-out set: {pictures} pictures (seeds from {samples.SEEDS['held_out']}), sizes "
        + ", ".join(f"{r}×{c}" for r, c in samples.SIZES)
        + ", 3–4 teeth each, one in six clean",
        f"- measured: {now} on {machine()}",
        f"- command: `python -m yachi.imaging.caries.detector.evaluate --pictures {pictures}`",
        "",
        "A mark finds a lesion when the lesion's centre is inside its box or the boxes",
        f"overlap by at least {metrics.MIN_IOU:.0%} (IoU); each lesion is found once at most.",
        "",
        "| pictures | lesions | marks | lesions found | sensitivity | precision | per-lesion F1 | marks per clean picture |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, tally in tallies.items():
        per_clean = tally.marks_on_clean / tally.clean_pictures if tally.clean_pictures else 0
        lines.append(
            f"| {name} | {tally.lesions} | {tally.marks} | {tally.found} | "
            f"{tally.sensitivity:.3f} | {tally.precision:.3f} | {tally.f1:.3f} | {per_clean:.2f} |"
        )
    lines += [
        "",
        "Sensitivity by how much darker than the tooth a lesion was drawn (of 4095 grey",
        "levels; the pictures' noise is 40–140):",
        "",
        "| contrast | lesions | found | sensitivity |",
        "|---|---|---|---|",
    ]
    for low, high, name in CONTRASTS:
        total, found = bands[name]
        rate = f"{found / total:.3f}" if total else "—"
        lines.append(f"| {name} ({low}–{high - 1}) | {total} | {found} | {rate} |")
    lines += [
        "",
        "The pictures also carry cervical burnout (dark tooth necks, never labelled), the",
        "classic false alarm on real bitewings; marks on clean pictures are counted above.",
        "The doctors' decisions in the console (confirmed, rejected, added) are the measure",
        "that matters: the agreement dashboard (龋齿模型一致性) shows them per model version",
        "over time.",
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=SHIPPED)
    parser.add_argument("--pictures", type=int, default=300)
    parser.add_argument("--out", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    model = load(args.model)
    tallies, bands = measure(model, args.pictures, Progress("held-out pictures"))
    text = report(model, tallies, bands, args.pictures)
    args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
