"""The caries detector's pure core: the shipped model on drawn lesions, training a model,
loading model files, and the post-processing and scoring rules."""

import io

import numpy as np
import pytest

from yachi.imaging.caries.detector import metrics, postprocess, preprocess, samples
from yachi.imaging.caries.detector.detect import regions_of_file
from yachi.imaging.caries.detector.runtime import SHIPPED, ModelUnusable, load
from yachi.imaging.caries.detector.train import THRESHOLDS, train
from yachi.imaging.dicom.synthetic import Picture, drawing, part10

BITEWING = {"teeth": ("16", "15", "14"), "rows": 240, "columns": 320}


@pytest.fixture(scope="module")
def shipped():
    return load(SHIPPED)


def test_the_shipped_model_marks_a_drawn_lesion_on_its_tooth(shipped):
    picture = Picture(**BITEWING, seed=0, lesion_rate=0.5)
    (lesion,) = drawing(picture).lesions
    found = regions_of_file(shipped, part10(picture))
    assert len(found) == 1
    assert metrics.score([(found[0].box, found[0].probability)], [lesion.box]).found == 1
    assert found[0].tooth == "14" == BITEWING["teeth"][lesion.tooth_index]
    assert found[0].probability >= shipped.threshold


def test_the_shipped_model_leaves_a_clean_picture_unmarked(shipped):
    clean = Picture(**BITEWING, seed=0, lesion_rate=0.0)
    assert drawing(clean).lesions == ()
    assert regions_of_file(shipped, part10(clean)) == []


def test_the_shipped_model_says_what_it_is(shipped):
    assert shipped.version == "caries-synthetic-v1"
    assert shipped.threshold in THRESHOLDS
    assert SHIPPED.stat().st_size < 100_000


def test_a_tiny_model_trains_and_loads(tmp_path):
    out, progress = tmp_path / "tiny.onnx", io.StringIO()
    result = train(
        out,
        pictures=12,
        validation=6,
        hidden=(8,),
        iterations=20,
        version="tiny-test",
        stream=progress,
    )
    model = load(out)
    assert model.version == "tiny-test" and model.threshold == result["threshold"]
    picture = samples.sample("held_out", 0).radiograph.pixels
    probabilities = model.probabilities(preprocess.features(picture))
    assert probabilities.shape == (np.prod(preprocess.grid(picture)),)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    assert "12/12" in progress.getvalue() and "[####" in progress.getvalue()


def test_model_files_come_from_local_disk_and_must_fit(tmp_path):
    with pytest.raises(ModelUnusable, match="local disk"):
        load("https://example.invalid/model.onnx")
    with pytest.raises(ModelUnusable, match="no such"):
        load(tmp_path / "missing.onnx")
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"not a model")
    with pytest.raises(ModelUnusable, match="not an ONNX"):
        load(junk)


def test_what_cannot_be_decoded_is_refused():
    with pytest.raises(preprocess.NotAnImage):
        preprocess.decode(b"DICM but not really")


def test_touching_regions_merge_into_one_box_and_teeth_split_evenly():
    merged = postprocess.merge(
        [((0, 0, 10, 10), 0.7), ((10, 5, 20, 15), 0.9), ((40, 40, 50, 50), 0.6)]
    )
    assert sorted(merged) == [((0, 0, 20, 15), 0.9), ((40, 40, 50, 50), 0.6)]
    teeth = ("16", "15", "14")
    assert [postprocess.tooth_at(x, columns=300, teeth=teeth) for x in (5, 150, 299)] == list(teeth)
    assert postprocess.tooth_at(50, columns=300, teeth=()) == ""


def test_each_lesion_is_found_once_and_stray_marks_lower_precision():
    lesion = (10, 10, 20, 20)
    tally = metrics.score(
        [((8, 8, 22, 22), 0.9), ((9, 9, 21, 21), 0.8), ((60, 60, 70, 70), 0.7)], [lesion]
    )
    assert (tally.found, tally.marks, tally.lesions) == (1, 3, 1)
    assert tally.sensitivity == 1.0 and tally.precision == pytest.approx(1 / 3)
    assert tally.f1 == pytest.approx(0.5)
