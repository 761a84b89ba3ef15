"""What every archive offers, and the one error it raises when it cannot answer."""

from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from yachi.core.errors import DomainError


class ArchiveUnavailable(DomainError):
    """The archive is down, slow or refused the request: nothing was kept or read, and
    the same request will most likely work once the archive is back."""

    code = "archive_unavailable"
    status = 503
    default_message = _("The X-ray archive cannot be reached at the moment. Please try again soon.")


@dataclass(frozen=True)
class Location:
    """Where one instance is: its UIDs (what a PACS files it by) and, on disk, its file."""

    study_uid: str
    series_uid: str
    sop_instance_uid: str
    file_name: str = ""


class Archive(Protocol):
    kind: str

    def store(self, location: Location, data: bytes) -> Location:
        """Keep one Part 10 file; answers where it is now."""

    def fetch(self, location: Location) -> bytes:
        """The Part 10 file as it was stored."""

    def discard(self, location: Location) -> None:
        """Undo a ``store`` whose image row was not written."""
