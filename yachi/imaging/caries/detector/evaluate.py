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


def measure(model, pictures: int, progress=None) -> dict[str, metrics.Tally]:
    """Tallies overall, for faint lesions (drawn less than 800 of 4095 darker) and by size."""
    tallies = {"all": metrics.Tally()}
    for index in range(pictures):
        item = samples.sample("held_out", index)
        found = regions_of_radiograph(model, item.radiograph)
        tally = metrics.score([(r.box, r.probability) for r in found], list(item.lesions))
        tallies["all"].add(tally)
        size = f"{item.radiograph.rows}×{item.radiograph.columns}"
        tallies.setdefault(size, metrics.Tally()).add(tally)
        if progress:
            progress(index + 1, pictures)
    return tallies


def machine() -> str:
    cores = os.cpu_count()
    return f"{platform.processor() or platform.machine()}, {cores} cores, Python {platform.python_version()}"


def report(model, tallies: dict[str, metrics.Tally], pictures: int) -> str:
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
        "What it misses are mostly the faintest lesions (drawn a few hundred grey levels",
        "darker than the tooth, under the picture's noise); what it marks wrongly are mostly",
        "the dark corners where a crown meets the gap between teeth. The doctors' decisions",
        "in the console (confirmed, rejected, added) are the measure that matters: the",
        "dashboard per model version (智能辅助诊断 → 模型一致性) shows them over time.",
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
    tallies = measure(model, args.pictures, Progress("held-out pictures"))
    text = report(model, tallies, args.pictures)
    args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
