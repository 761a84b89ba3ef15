"""A study of four bitewings marked end to end by the caries model: decode (pydicom),
preprocess (window, normalise, resample, tile), infer (ONNX Runtime), post-process
(regions, merged boxes, teeth), on two cores.

    .venv/bin/python bench/caries.py [--rows 1000] [--columns 1333] [--runs 5]

The four files are synthetic 12-bit bitewings at a size-2 sensor's resolution (drawn by
``imaging.dicom.synthetic``, not timed). Each run marks the study with two workers, one
image each at a time, as the job consumer would on a two-core machine; the first run
(loading the model, warming caches) is reported apart.
"""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

from yachi.imaging.caries.detector import postprocess, preprocess  # noqa: E402
from yachi.imaging.caries.detector.runtime import SHIPPED, load  # noqa: E402
from yachi.imaging.dicom.synthetic import Picture, part10  # noqa: E402

TEETH = (("16", "15", "14"), ("26", "25", "24"), ("36", "35", "34"), ("46", "45", "44"))


def mark(model, data: bytes) -> dict[str, float]:
    """One image through the pipeline, each stage timed."""
    seconds = {}
    started = time.perf_counter()
    dataset, raw, centre, width, inverted = preprocess._read(data)
    seconds["decode"] = time.perf_counter() - started
    started = time.perf_counter()
    radiograph = preprocess.prepare(
        raw, centre=centre, width=width, inverted=inverted, teeth=preprocess.teeth_of(dataset)
    )
    rows = preprocess.features(radiograph.pixels)
    seconds["preprocess"] = time.perf_counter() - started
    started = time.perf_counter()
    probabilities = model.probabilities(rows).reshape(preprocess.grid(radiograph.pixels))
    seconds["infer"] = time.perf_counter() - started
    started = time.perf_counter()
    found = postprocess.regions(probabilities, radiograph, threshold=model.threshold)
    seconds["postprocess"] = time.perf_counter() - started
    seconds["marks"] = len(found)
    return seconds


def study(model, files: list[bytes], workers: int) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        stages = list(pool.map(lambda data: mark(model, data), files))
    return time.perf_counter() - started, stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--columns", type=int, default=1333)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    files = [
        part10(
            Picture(
                modality="IO",
                rows=args.rows,
                columns=args.columns,
                teeth=teeth,
                seed=index,
                lesion_rate=0.4,
            )
        )
        for index, teeth in enumerate(TEETH)
    ]
    started = time.perf_counter()
    model = load(SHIPPED)
    loaded = time.perf_counter() - started
    first, _stages = study(model, files, args.workers)
    totals, per_stage = [], {"decode": [], "preprocess": [], "infer": [], "postprocess": []}
    marks = 0
    for _run in range(args.runs):
        seconds, stages = study(model, files, args.workers)
        totals.append(seconds)
        for name in per_stage:
            per_stage[name].append(sum(stage[name] for stage in stages))
        marks = sum(int(stage["marks"]) for stage in stages)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}"
    )
    print(
        f"study: 4 bitewings of {args.rows}×{args.columns} 12-bit pixels "
        f"({sum(map(len, files)) / 1e6:.1f} MB), {args.workers} workers, model {model.version}"
    )
    print(f"model loaded in {loaded:.3f} s; first study (warm-up) {first:.3f} s")
    print(
        f"study marked end to end: median {statistics.median(totals):.3f} s, "
        f"best {min(totals):.3f} s, worst {max(totals):.3f} s over {args.runs} runs; "
        f"{marks} marks"
    )
    for name, values in per_stage.items():
        print(f"  {name:<12} {statistics.median(values):.3f} s (summed over the 4 images)")


if __name__ == "__main__":
    main()
