"""The model file: an ONNX patch classifier with its settings in its own metadata.

A model file says what it is (``version``), which features it reads (``features``, which
must be the preprocessing's) and from which probability a patch counts (``threshold``).
Files are read from local disk only: a path, never an address.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from yachi.imaging.caries.detector.preprocess import FEATURES

SHIPPED = Path(__file__).resolve().parent.parent / "shipped" / "caries-synthetic-v1.onnx"


class ModelUnusable(ValueError):
    """The model file is missing, not local, not ONNX, or made for other features."""


@dataclass(frozen=True)
class Model:
    path: Path
    version: str
    threshold: float
    session: "onnxruntime.InferenceSession"  # noqa: F821

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """The probability of caries for each row of features."""
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float32)
        name = self.session.get_inputs()[0].name
        outputs = self.session.run(None, {name: rows.astype(np.float32)})
        probabilities = next(o for o in outputs if getattr(o, "ndim", 0) == 2)
        return np.asarray(probabilities[:, 1], dtype=np.float32)


def load(path: str | Path, *, threads: int = 1) -> Model:
    text = str(path)
    if "://" in text:
        raise ModelUnusable(f"{text}: caries models are loaded from local disk only.")
    file = Path(text).expanduser()
    if not file.is_file():
        raise ModelUnusable(f"{file}: no such model file.")
    data = file.read_bytes()
    # Imported here: every process that starts Django imports imaging, few run the model.
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        session = onnxruntime.InferenceSession(
            data, sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as error:  # ONNX Runtime's own kinds
        raise ModelUnusable(f"{file}: not an ONNX model ONNX Runtime can run ({error}).") from error
    meta = session.get_modelmeta().custom_metadata_map
    if meta.get("features") != FEATURES:
        raise ModelUnusable(
            f"{file}: made for features {meta.get('features')!r}, not {FEATURES!r}."
        )
    try:
        threshold = float(meta.get("threshold", "0.5"))
    except ValueError as error:
        raise ModelUnusable(f"{file}: its threshold is not a number.") from error
    version = meta.get("version") or f"{file.stem}-{hashlib.sha256(data).hexdigest()[:8]}"
    return Model(path=file, version=version[:40], threshold=threshold, session=session)
