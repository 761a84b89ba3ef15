"""One picture through the whole detector: decode, preprocess, infer, post-process."""

from yachi.imaging.caries.detector import postprocess, preprocess
from yachi.imaging.caries.detector.runtime import Model


def regions_of_radiograph(model: Model, radiograph: preprocess.Radiograph):
    rows = preprocess.features(radiograph.pixels)
    probabilities = model.probabilities(rows).reshape(preprocess.grid(radiograph.pixels))
    return postprocess.regions(probabilities, radiograph, threshold=model.threshold)


def regions_of_file(model: Model, data: bytes) -> list[postprocess.Region]:
    """The suspected lesions of a DICOM file; raises ``preprocess.NotAnImage``."""
    return regions_of_radiograph(model, preprocess.decode(data))
