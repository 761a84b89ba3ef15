"""Radiograph-like DICOM files made from nothing: for the demo and the tests.

They are drawn, not taken: teeth as bright rounded columns with darker pulp on a dark
background, a little noise, 12-bit greyscale. Every file says so in its Study
Description and Image Comments (``SYNTHETIC``), which the viewer shows.
"""

import io
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from pydicom.dataset import FileDataset, FileMetaDataset
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


def pixels(rows: int, columns: int, *, teeth: int, seed: int) -> np.ndarray:
    """A 12-bit radiograph-like picture: enamel bright, pulp and gaps dark."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:rows, 0:columns].astype(np.float32)
    picture = np.full((rows, columns), 400.0, dtype=np.float32)
    width = columns / teeth
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
        picture[body] = 2600.0 + rng.uniform(-200, 200)
        pulp = (np.abs(x - centre) < half * 0.28) & (y > crown_top + rows * 0.12) & (y < root_end)
        picture[pulp] = 1300.0
        if rng.uniform() < 0.3:  # a darker spot, as a lesion looks
            cy = crown_top + rows * 0.08
            cx = centre + half * rng.uniform(-0.6, 0.6)
            spot = (x - cx) ** 2 + (y - cy) ** 2 < (half * 0.25) ** 2
            picture[spot & body] = 1500.0
    picture += rng.normal(0, 60, size=picture.shape)
    return np.clip(picture, 0, 4095).astype(np.uint16)


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
    teeth = {"IO": 3, "PX": 14, "DX": 3, "CR": 3, "CT": 8}[picture.modality]
    ds.PixelData = pixels(picture.rows, picture.columns, teeth=teeth, seed=picture.seed).tobytes()
    return ds


def part10(picture: Picture) -> bytes:
    """The picture as a DICOM Part 10 file's bytes."""
    out = io.BytesIO()
    dataset(picture).save_as(out, enforce_file_format=True)
    return out.getvalue()
