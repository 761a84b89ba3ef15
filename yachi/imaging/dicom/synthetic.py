"""Radiograph-like DICOM files made from nothing: for the demo and the tests.

They are drawn, not taken: teeth as bright rounded columns with darker pulp on a dark
background, a little noise, 12-bit greyscale. Every file says so in its Study
Description and Image Comments (``SYNTHETIC``), which the viewer shows.
"""

import io
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import PYDICOM_IMPLEMENTATION_UID, ExplicitVRLittleEndian, generate_uid

SYNTHETIC = "合成演示影像，非真实X光 / synthetic demo image, not a real X-ray"

# Storage SOP classes (PS3.4 B.5)
DIGITAL_XRAY = "1.2.840.10008.5.1.4.1.1.1.1"
INTRAORAL_XRAY = "1.2.840.10008.5.1.4.1.1.1.3"
COMPUTED_RADIOGRAPHY = "1.2.840.10008.5.1.4.1.1.1"
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
SOP_CLASSES = {
    "IO": INTRAORAL_XRAY,
    "PX": DIGITAL_XRAY,
    "DX": DIGITAL_XRAY,
    "CR": COMPUTED_RADIOGRAPHY,
    "CT": CT_IMAGE,
}


@dataclass(frozen=True)
class Picture:
    modality: str = "IO"
    patient_id: str = ""
    patient_name: str = ""
    taken_at: datetime | None = None
    study_uid: str = ""
    series_uid: str = ""
    sop_instance_uid: str = ""
    instance_number: int = 1
    rows: int = 96
    columns: int = 128
    seed: int = 0
    description: str = SYNTHETIC
    # The teeth shown, left to right as displayed (FDI), sent as the image's Primary
    # Anatomic Structure Sequence; one drawn tooth each.
    teeth: tuple[str, ...] = ()
    # The share of drawn teeth with a lesion (0: a clean picture).
    lesion_rate: float = 0.3


@dataclass(frozen=True)
class Lesion:
    """A drawn lesion: which tooth (0 = leftmost drawn) and its box in pixels
    (``x0, y0`` inclusive, ``x1, y1`` exclusive)."""

    tooth_index: int
    box: tuple[int, int, int, int]
    depth: float  # how much darker than the tooth, of 4095


@dataclass(frozen=True)
class Drawing:
    pixels: np.ndarray
    lesions: tuple[Lesion, ...]


def draw(rows: int, columns: int, *, teeth: int, seed: int, lesion_rate: float = 0.3) -> Drawing:
    """A 12-bit radiograph-like picture (enamel bright, pulp and gaps dark) and the lesions
    drawn on it: soft dark spots in a crown, at its sides (between teeth, where caries
    mostly starts on a bitewing) or on top, some faint. Seeded: the same arguments draw
    the same picture, which is what the caries model is trained and measured on."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:rows, 0:columns].astype(np.float32)
    picture = np.full((rows, columns), 400.0, dtype=np.float32)
    width = columns / teeth
    lesions: list[Lesion] = []
    for tooth in range(teeth):
        centre = (tooth + 0.5) * width + rng.uniform(-0.05, 0.05) * width
        half = width * 0.38
        crown_top = rows * rng.uniform(0.12, 0.2)
        root_end = rows * rng.uniform(0.85, 0.95)
        body = (
            (np.abs(x - centre) < half * (1 - 0.35 * (y - crown_top) / rows))
            & (y > crown_top)
            & (y < root_end)
        )
        tooth_value = 2600.0 + rng.uniform(-200, 200)
        picture[body] = tooth_value
        pulp = (np.abs(x - centre) < half * 0.28) & (y > crown_top + rows * 0.12) & (y < root_end)
        picture[pulp] = 1300.0
        if rng.uniform() < lesion_rate:
            side = rng.uniform(0.45, 0.8) * rng.choice((-1.0, 1.0))
            across = side if rng.uniform() < 0.75 else rng.uniform(-0.3, 0.3)
            cx = centre + half * across
            cy = crown_top + rows * rng.uniform(0.035, 0.1)
            radius = rows * rng.uniform(0.03, 0.065)
            depth = rng.uniform(300.0, 1400.0)
            distance = (x - cx) ** 2 + (y - cy) ** 2
            shade = depth * np.exp(-distance / (2 * (radius * 0.6) ** 2))
            picture -= np.where(body, shade, 0.0)
            box = (
                max(int(np.floor(cx - radius)), 0),
                max(int(np.floor(cy - radius)), 0),
                min(int(np.ceil(cx + radius)) + 1, columns),
                min(int(np.ceil(cy + radius)) + 1, rows),
            )
            lesions.append(Lesion(tooth_index=tooth, box=box, depth=round(depth, 1)))
        if rng.uniform() < 0.5:
            # Cervical burnout: the thin neck of a tooth looks darker at its sides. Not
            # caries, and a classic false alarm on real bitewings: drawn, never labelled.
            bx = centre + half * 0.8 * rng.choice((-1.0, 1.0))
            by = crown_top + rows * rng.uniform(0.2, 0.3)
            sigma = rows * 0.03
            burnout = rng.uniform(250.0, 600.0) * np.exp(
                -((x - bx) ** 2 + (y - by) ** 2) / (2 * sigma**2)
            )
            picture -= np.where(body, burnout, 0.0)
    picture += rng.normal(0, rng.uniform(40.0, 140.0), size=picture.shape)
    return Drawing(np.clip(picture, 0, 4095).astype(np.uint16), tuple(lesions))


def pixels(rows: int, columns: int, *, teeth: int, seed: int, lesion_rate: float = 0.3):
    """A 12-bit radiograph-like picture: enamel bright, pulp and gaps dark."""
    return draw(rows, columns, teeth=teeth, seed=seed, lesion_rate=lesion_rate).pixels


def teeth_drawn(picture: "Picture") -> int:
    if picture.teeth:
        return len(picture.teeth)
    return {"IO": 3, "PX": 14, "DX": 3, "CR": 3, "CT": 8}[picture.modality]


def dataset(picture: Picture, *, frames_of_series: int = 1) -> FileDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SOP_CLASSES[picture.modality]
    meta.MediaStorageSOPInstanceUID = picture.sop_instance_uid or generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
    ds = FileDataset("", {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SpecificCharacterSet = "ISO_IR 192"  # UTF-8: names and descriptions in Chinese
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = picture.study_uid or generate_uid()
    ds.SeriesInstanceUID = picture.series_uid or generate_uid()
    ds.Modality = picture.modality
    ds.PatientID = picture.patient_id
    ds.PatientName = picture.patient_name
    ds.StudyDescription = picture.description[:64]
    ds.ImageComments = SYNTHETIC
    ds.SeriesNumber = 1
    ds.InstanceNumber = picture.instance_number
    if picture.taken_at is not None:
        ds.StudyDate = ds.ContentDate = picture.taken_at.strftime("%Y%m%d")
        ds.StudyTime = ds.ContentTime = picture.taken_at.strftime("%H%M%S")
    ds.Manufacturer = "Yachi synthetic"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = picture.rows, picture.columns
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
    ds.PixelRepresentation = 0
    ds.WindowCenter, ds.WindowWidth = 2000, 3000
    ds.PixelSpacing = [0.1, 0.1]
    if picture.modality == "CT":
        ds.SliceThickness = 0.3
        ds.ImagePositionPatient = [0, 0, 0.3 * picture.instance_number]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    if picture.teeth:
        ds.PrimaryAnatomicStructureSequence = [_tooth_code(tooth) for tooth in picture.teeth]
    ds.PixelData = drawing(picture).pixels.tobytes()
    return ds


def drawing(picture: Picture) -> Drawing:
    """What ``dataset`` draws for this picture, with its lesions (the caries model's labels)."""
    return draw(
        picture.rows,
        picture.columns,
        teeth=teeth_drawn(picture),
        seed=picture.seed,
        lesion_rate=picture.lesion_rate,
    )


def _tooth_code(tooth: str) -> Dataset:
    # ISO 3950 (the FDI two-digit notation) is a coding scheme DICOM names (PS3.16 8).
    item = Dataset()
    item.CodeValue = tooth
    item.CodingSchemeDesignator = "ISO3950"
    item.CodeMeaning = f"Tooth {tooth}"
    return item


def part10(picture: Picture) -> bytes:
    """The picture as a DICOM Part 10 file's bytes."""
    out = io.BytesIO()
    dataset(picture).save_as(out, enforce_file_format=True)
    return out.getvalue()
