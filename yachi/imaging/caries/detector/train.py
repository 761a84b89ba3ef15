"""Train the project's own caries model and write it as ONNX.

    python -m yachi.imaging.caries.detector.train [--out FILE] [--pictures N] [--seed S]

A small multilayer perceptron (scikit-learn) reads each patch's features (``preprocess``)
and says how likely a lesion is at its centre. It is trained on synthetic bitewing-like
pictures with lesions drawn on them (``samples``); its threshold is the one with the best
per-lesion F1 on a separate validation set. The file carries its version, features and
threshold in its metadata. It is a demonstration model, never a clinical one (ADR 0061).
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from yachi.imaging.caries.detector import metrics, samples
from yachi.imaging.caries.detector.postprocess import regions
from yachi.imaging.caries.detector.preprocess import FEATURES, features, grid
from yachi.imaging.caries.detector.runtime import SHIPPED, load

VERSION = "caries-synthetic-v1"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


class Progress:
    """A progress bar on standard error: ``label [#####.....] 12/40``."""

    def __init__(self, label: str, stream=sys.stderr, width: int = 30):
        self.label, self.stream, self.width = label, stream, width

    def __call__(self, done: int, total: int) -> None:
        if done < total and done % max(total // self.width, 1):
            return
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label:<22} [{bar}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def fit(x: np.ndarray, y: np.ndarray, *, hidden: tuple[int, ...], iterations: int, seed: int):
    classifier = MLPClassifier(
        hidden_layer_sizes=hidden,
        max_iter=iterations,
        early_stopping=True,
        n_iter_no_change=8,
        random_state=seed,
    )
    # One BLAS thread: the network is small, and on a shared machine more threads only
    # wait for each other (30× slower under load).
    with warnings.catch_warnings(), threadpool_limits(1):
        # A short run (a test's tiny model) stops before converging, as asked.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return make_pipeline(StandardScaler(), classifier).fit(x, y)


def export(pipeline, *, version: str, threshold: float, trained: dict) -> bytes:
    width = pipeline.named_steps["standardscaler"].n_features_in_
    classifier = pipeline.named_steps["mlpclassifier"]
    onnx_model = convert_sklearn(
        pipeline,
        initial_types=[("features", FloatTensorType([None, width]))],
        options={id(classifier): {"zipmap": False}},
        target_opset=17,
    )
    for key, value in {
        "version": version,
        "features": FEATURES,
        "threshold": f"{threshold:.2f}",
        **{key: str(value) for key, value in trained.items()},
    }.items():
        entry = onnx_model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx_model.producer_name = "yachi"
    onnx_model.doc_string = "Demonstration caries model trained on synthetic images only"
    return onnx_model.SerializeToString()


def choose_threshold(model_file: Path, pictures: int, progress=None) -> float:
    """The threshold with the best per-lesion F1 on the validation pictures."""
    model = load(model_file)
    items = [samples.sample("validation", index) for index in range(pictures)]
    grids = []
    for done, item in enumerate(items, start=1):
        rows = features(item.radiograph.pixels)
        grids.append(model.probabilities(rows).reshape(grid(item.radiograph.pixels)))
        if progress:
            progress(done, len(items))
    best, best_f1 = 0.5, -1.0
    for threshold in THRESHOLDS:
        tally = metrics.Tally()
        for item, probabilities in zip(items, grids, strict=True):
            found = regions(probabilities, item.radiograph, threshold=threshold)
            tally.add(metrics.score([(r.box, r.probability) for r in found], list(item.lesions)))
        if tally.f1 > best_f1:
            best, best_f1 = threshold, tally.f1
    return best


def train(
    out: Path,
    *,
    pictures: int = 600,
    validation: int = 120,
    hidden: tuple[int, ...] = (48, 16),
    iterations: int = 200,
    negatives_kept: float = 0.12,
    seed: int = 61,
    version: str = VERSION,
    stream=sys.stderr,
) -> dict:
    started = time.perf_counter()
    x, y = samples.patches(
        "train",
        pictures,
        negatives_kept=negatives_kept,
        seed=seed,
        progress=Progress("drawing pictures", stream),
    )
    stream.write(f"{len(y)} patches, {int(y.sum())} with a lesion at their centre; fitting…\n")
    pipeline = fit(x, y, hidden=hidden, iterations=iterations, seed=seed)
    trained = {
        "trained_on": f"{pictures} synthetic pictures, seeds from {samples.SEEDS['train']}",
        "seed": seed,
        "hidden": "x".join(map(str, hidden)),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(export(pipeline, version=version, threshold=0.5, trained=trained))
    threshold = choose_threshold(out, validation, Progress("choosing threshold", stream))
    out.write_bytes(export(pipeline, version=version, threshold=threshold, trained=trained))
    seconds = time.perf_counter() - started
    stream.write(f"wrote {out} ({out.stat().st_size} bytes), threshold {threshold:.2f}, ")
    stream.write(f"{seconds:.1f} s\n")
    return {"path": out, "threshold": threshold, "seconds": seconds, "patches": len(y)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SHIPPED)
    parser.add_argument("--pictures", type=int, default=600)
    parser.add_argument("--seed", type=int, default=61)
    parser.add_argument("--version", default=VERSION)
    args = parser.parse_args(argv)
    if args.pictures < 10:
        parser.error("train on at least 10 pictures")
    train(args.out, pictures=args.pictures, seed=args.seed, version=args.version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
