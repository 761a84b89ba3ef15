"""One received DICOM instance, read and checked before anything is kept.

A pure core: pydicom only, no Django. ``read_instance`` takes the Part 10 bytes an SCU
sent and returns what Yachi keeps of them, or raises ``Refused`` with a stable code and a
DICOM status (PS3.4 GG.4) for the node to answer with.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time

import pydicom
from pydicom.errors import InvalidDicomError
from pydicom.uid import UID

# Modalities a dental clinic's units send; CT is a cone-beam CT series.
MODALITIES = frozenset({"IO", "PX", "DX", "CR", "CT"})

# DICOM C-STORE failure statuses (PS3.4 B.2.3).
OUT_OF_RESOURCES = 0xA700
DOES_NOT_MATCH_SOP_CLASS = 0xA900
CANNOT_UNDERSTAND = 0xC000

_ENCAPSULATED_OK = 8  # an encapsulated fragment shorter than this holds no image


class Refused(ValueError):
    def __init__(self, code: str, message: str, status: int):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Instance:
    sop_instance_uid: str
    sop_class_uid: str
    study_uid: str
    series_uid: str
    series_number: int | None
    instance_number: int | None
    modality: str
    rows: int
    columns: int
    frames: int
    patient_id: str
    patient_name: str
    description: str
    # Wall-clock time at the unit (no zone: DICOM rarely sends one), or None.
    taken_at: datetime | None


def _uid(dataset, keyword: str) -> str:
    value = str(dataset.get(keyword, "") or "").strip()
    if not value or not UID(value).is_valid:
        raise Refused(
            "dicom_uid_invalid",
            f"{keyword} is missing or not a valid UID.",
            CANNOT_UNDERSTAND,
        )
    return value


def _integer(dataset, keyword: str) -> int | None:
    value = dataset.get(keyword)
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _moment(dataset) -> datetime | None:
    for day_key, time_key in (
        ("AcquisitionDate", "AcquisitionTime"),
        ("ContentDate", "ContentTime"),
        ("StudyDate", "StudyTime"),
    ):
        day = str(dataset.get(day_key, "") or "").strip()
        if len(day) != 8 or not day.isdigit():
            continue
        try:
            when = date(int(day[:4]), int(day[4:6]), int(day[6:]))
        except ValueError:
            continue
        clock = str(dataset.get(time_key, "") or "").strip().split(".")[0]
        moment = time()
        if len(clock) >= 4 and clock.isdigit():
            try:
                moment = time(int(clock[:2]), int(clock[2:4]), int(clock[4:6] or 0))
            except ValueError:
                moment = time()
        return datetime.combine(when, moment)
    return None


def _pixels_complete(dataset, rows: int, columns: int, frames: int) -> bool:
    data = dataset.get("PixelData")
    if not isinstance(data, bytes | bytearray):
        return False
    meta = getattr(dataset, "file_meta", None)
    syntax = meta.get("TransferSyntaxUID") if meta is not None else None
    if syntax is not None and UID(syntax).is_encapsulated:
        return len(data) >= _ENCAPSULATED_OK
    samples = _integer(dataset, "SamplesPerPixel") or 1
    bits = _integer(dataset, "BitsAllocated") or 0
    if bits not in (8, 16, 32):
        return False
    return len(data) >= rows * columns * frames * samples * bits // 8


def read_instance(data: bytes, *, max_bytes: int) -> Instance:
    if len(data) > max_bytes:
        raise Refused(
            "dicom_too_large",
            f"The instance is {len(data)} bytes; this node keeps at most {max_bytes}.",
            OUT_OF_RESOURCES,
        )
    try:
        dataset = pydicom.dcmread(io.BytesIO(data), force=False)
        dataset.get("PixelData")  # reads the elements a lazy parse deferred
    except (InvalidDicomError, EOFError, ValueError, KeyError, OverflowError, TypeError) as error:
        raise Refused(
            "not_dicom", f"This is not a readable DICOM file ({error}).", CANNOT_UNDERSTAND
        ) from error
    except Exception as error:
        # pydicom raises many kinds on a damaged stream; none may stop the node.
        raise Refused(
            "not_dicom", "This is not a readable DICOM file.", CANNOT_UNDERSTAND
        ) from error
    rows = _integer(dataset, "Rows") or 0
    columns = _integer(dataset, "Columns") or 0
    frames = _integer(dataset, "NumberOfFrames") or 1
    if rows <= 0 or columns <= 0 or frames <= 0:
        raise Refused("dicom_no_image", "The instance has no image.", CANNOT_UNDERSTAND)
    if not _pixels_complete(dataset, rows, columns, frames):
        raise Refused(
            "dicom_truncated",
            "The instance's pixel data is missing or shorter than its image.",
            CANNOT_UNDERSTAND,
        )
    modality = str(dataset.get("Modality", "") or "").strip().upper()
    if modality not in MODALITIES:
        raise Refused(
            "modality_not_supported",
            f"Modality {modality or '(none)'} is not an X-ray this node keeps "
            f"({', '.join(sorted(MODALITIES))}).",
            DOES_NOT_MATCH_SOP_CLASS,
        )
    return Instance(
        sop_instance_uid=_uid(dataset, "SOPInstanceUID"),
        sop_class_uid=_uid(dataset, "SOPClassUID"),
        study_uid=_uid(dataset, "StudyInstanceUID"),
        series_uid=_uid(dataset, "SeriesInstanceUID"),
        series_number=_integer(dataset, "SeriesNumber"),
        instance_number=_integer(dataset, "InstanceNumber"),
        modality=modality,
        rows=rows,
        columns=columns,
        frames=frames,
        patient_id=str(dataset.get("PatientID", "") or "").strip()[:64],
        patient_name=str(dataset.get("PatientName", "") or "").strip()[:64],
        description=str(dataset.get("StudyDescription", "") or "").strip()[:64],
        taken_at=_moment(dataset),
    )


def names_agree(sent: str, candidates: list[str]) -> bool:
    """Whether a DICOM Person Name (``Zhang^Xiaobao=张小宝``: alphabetic, ideographic and
    phonetic groups) names one of the candidates; an empty name agrees with anyone."""
    if not sent.strip():
        return True
    wanted = {_plain(c) for c in candidates if c}
    return any(_plain(group) in wanted for group in sent.split("=") if group.strip())


def _plain(name: str) -> str:
    return "".join(name.replace("^", " ").split()).casefold()
