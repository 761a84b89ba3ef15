"""A PACS over DICOMweb (PS3.18): STOW-RS to store, QIDO-RS to find, WADO-RS to fetch.

Written against Orthanc with its DICOMweb plugin (Debian's ``orthanc`` and
``orthanc-dicomweb``), but only the standard's requests are used. Credentials come in
the URL's user part (``https://user:password@pacs.clinic.lan/dicom-web``) and are sent
as HTTP Basic authentication. Whatever goes wrong on the way — the PACS is down, slow,
answers 4xx or 5xx, or answers something that is not what the standard says — is
``ArchiveUnavailable``: the node answers the X-ray unit with a failure status, the API
with 503, and nothing is written on Yachi's side.
"""

import json
import logging
import uuid
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import httpx

from yachi.imaging.archive.base import ArchiveUnavailable, Location

logger = logging.getLogger(__name__)

DICOM = "application/dicom"
DICOM_JSON = "application/dicom+json"
SOP_INSTANCE_UID = "00080018"
REFERENCED_SOP_SEQUENCE = "00081199"
REFERENCED_SOP_INSTANCE_UID = "00081155"


def _split_credentials(url: str) -> tuple[str, httpx.BasicAuth | None]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("YACHI_PACS_URL must be an http:// or https:// URL")
    auth = None
    if parts.username is not None:
        auth = httpx.BasicAuth(unquote(parts.username), unquote(parts.password or ""))
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", "")), auth


def check_url(url: str) -> None:
    """Refuse at start a PACS URL the archive could never use."""
    _split_credentials(url)


def _boundary(content_type: str) -> bytes:
    for parameter in content_type.split(";")[1:]:
        key, _, value = parameter.strip().partition("=")
        if key.strip().lower() == "boundary" and value:
            return value.strip().strip('"').encode()
    raise ArchiveUnavailable(code="archive_answer_unreadable")


def multipart_parts(content_type: str, body: bytes) -> list[bytes]:
    """The bodies of a ``multipart/related`` answer (WADO-RS), in order."""
    if not content_type.lower().startswith("multipart/related"):
        raise ArchiveUnavailable(code="archive_answer_unreadable")
    delimiter = b"--" + _boundary(content_type)
    found = []
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        _headers, separator, content = chunk.partition(b"\r\n\r\n")
        if not separator:
            raise ArchiveUnavailable(code="archive_answer_unreadable")
        found.append(content[:-2] if content.endswith(b"\r\n") else content)
    return found


class DicomwebArchive:
    kind = "pacs"

    def __init__(self, url: str, *, timeout: float):
        self.base, auth = _split_credentials(url)
        # One client per process: its connection pool is shared by the node's
        # association threads and the web server's requests (httpx clients are thread-safe).
        self.client = httpx.Client(auth=auth, timeout=timeout, follow_redirects=False)

    def _request(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            response = self.client.request(method, self.base + path, **kwargs)
        except httpx.HTTPError as error:
            logger.warning("PACS %s %s failed: %s", method, path, type(error).__name__)
            raise ArchiveUnavailable() from error
        if response.status_code >= 400:
            logger.warning("PACS %s %s answered %s", method, path, response.status_code)
            raise ArchiveUnavailable()
        return response

    @staticmethod
    def _instance_path(location: Location) -> str:
        return (
            f"/studies/{quote(location.study_uid)}/series/{quote(location.series_uid)}"
            f"/instances/{quote(location.sop_instance_uid)}"
        )

    def holds(self, location: Location) -> bool:
        """QIDO-RS: whether the PACS already has this instance."""
        response = self._request(
            "GET",
            f"/studies/{quote(location.study_uid)}/series/{quote(location.series_uid)}/instances",
            params={"SOPInstanceUID": location.sop_instance_uid},
            headers={"Accept": DICOM_JSON},
        )
        if response.status_code == 204 or not response.content:
            return False
        try:
            matches = response.json()
        except ValueError as error:
            raise ArchiveUnavailable(code="archive_answer_unreadable") from error
        if not isinstance(matches, list):
            raise ArchiveUnavailable(code="archive_answer_unreadable")
        return any(
            location.sop_instance_uid in (m.get(SOP_INSTANCE_UID) or {}).get("Value", [])
            for m in matches
            if isinstance(m, dict)
        )

    def store(self, location: Location, data: bytes) -> Location:
        """STOW-RS, unless QIDO-RS finds the instance there already: a store whose image
        row was never written (the process stopped in between) leaves the instance in the
        PACS, and the unit's resend then costs one query instead of the whole file."""
        if self.holds(location):
            return location
        boundary = uuid.uuid4().hex
        body = b"".join(
            (
                f"--{boundary}\r\nContent-Type: {DICOM}\r\n\r\n".encode(),
                data,
                f"\r\n--{boundary}--\r\n".encode(),
            )
        )
        response = self._request(
            "POST",
            "/studies",
            content=body,
            headers={
                "Content-Type": f'multipart/related; type="{DICOM}"; boundary={boundary}',
                "Accept": DICOM_JSON,
            },
        )
        try:
            answer = response.json()
            stored = [
                uid
                for reference in answer.get(REFERENCED_SOP_SEQUENCE, {}).get("Value", [])
                for uid in reference.get(REFERENCED_SOP_INSTANCE_UID, {}).get("Value", [])
            ]
        except (ValueError, AttributeError, TypeError) as error:
            raise ArchiveUnavailable(code="archive_answer_unreadable") from error
        if location.sop_instance_uid not in stored:
            logger.warning(
                "PACS did not store %s: %s", location.sop_instance_uid, json.dumps(answer)[:500]
            )
            raise ArchiveUnavailable()
        return location

    def fetch(self, location: Location) -> bytes:
        """WADO-RS: the instance as the PACS keeps it (the Part 10 file it was sent)."""
        response = self._request(
            "GET",
            self._instance_path(location),
            headers={"Accept": f'multipart/related; type="{DICOM}"'},
        )
        parts = multipart_parts(response.headers.get("Content-Type", ""), response.content)
        if len(parts) != 1:
            raise ArchiveUnavailable(code="archive_answer_unreadable")
        return parts[0]

    def discard(self, location: Location) -> None:
        # DICOMweb has no delete; what stays is found again by ``holds`` on a resend.
        return None
