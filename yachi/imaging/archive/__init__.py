"""Where the X-ray files are kept: the archive, behind one small interface (ADR 0063).

``LocalArchive`` keeps each Part 10 file SM4-encrypted on this machine's disk (ADR 0060);
``DicomwebArchive`` keeps it in a PACS such as Orthanc and speaks DICOMweb to it (STOW-RS
to store, QIDO-RS to find, WADO-RS to fetch) when ``YACHI_PACS_URL`` is set. An image
row says which archive holds it, so images kept on disk before a PACS was configured are
still read from disk.
"""

from functools import cache

from django.conf import settings

from yachi.imaging.archive.base import Archive, ArchiveUnavailable
from yachi.imaging.archive.dicomweb import DicomwebArchive
from yachi.imaging.archive.local import LocalArchive

LOCAL = "local"
PACS = "pacs"


@cache
def _dicomweb(url: str, timeout: float) -> DicomwebArchive:
    return DicomwebArchive(url, timeout=timeout)


def receiving_archive() -> Archive:
    """The archive new instances go to: the PACS when one is configured, else the disk."""
    if settings.YACHI_PACS_URL:
        return _dicomweb(settings.YACHI_PACS_URL, settings.YACHI_PACS_TIMEOUT)
    return LocalArchive()


def archive_of(kind: str) -> Archive:
    """The archive that holds an image kept in ``kind``."""
    if kind == LOCAL:
        return LocalArchive()
    if not settings.YACHI_PACS_URL:
        raise ArchiveUnavailable()
    return _dicomweb(settings.YACHI_PACS_URL, settings.YACHI_PACS_TIMEOUT)


__all__ = [
    "LOCAL",
    "PACS",
    "Archive",
    "ArchiveUnavailable",
    "DicomwebArchive",
    "LocalArchive",
    "archive_of",
    "receiving_archive",
]
