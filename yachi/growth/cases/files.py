"""An entry's pictures and short videos: pictures re-encoded without metadata
(``core.uploads``), videos taken only as MP4 or QuickTime by their content, within a size
limit. Kept in the default storage under ``cases/``; deleted with the consent."""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from yachi.core.errors import InvalidInput
from yachi.core.uploads import clean_image

PICTURE_MAX_SIDE = 2048
# ISO base media files: a box size, then "ftyp" and a brand.
_VIDEO_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"qt  ", b"M4V ", b"3gp4", b"3gp5"}


@dataclass(frozen=True)
class CleanFile:
    content: ContentFile
    content_type: str
    size: int
    extension: str


def _is_video(head: bytes) -> str | None:
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _VIDEO_BRANDS:
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    return None


def clean_case_file(upload) -> CleanFile:
    if upload is None:
        raise InvalidInput(_("Choose a photo or a short video."), code="file_missing")
    head = upload.read(16)
    upload.seek(0)
    video_type = _is_video(head)
    if video_type is None:
        picture = clean_image(upload, max_side=PICTURE_MAX_SIDE)
        extension = "png" if picture.content_type == "image/png" else "jpg"
        return CleanFile(
            ContentFile(picture.content), picture.content_type, len(picture.content), extension
        )
    limit = settings.YACHI_CASE_VIDEO_MAX_BYTES
    if upload.size > limit:
        raise InvalidInput(
            _("The video is too large (at most %(mb)s MB).") % {"mb": limit // (1024 * 1024)},
            code="file_too_large",
        )
    data = upload.read(limit + 1)
    extension = "mov" if video_type == "video/quicktime" else "mp4"
    return CleanFile(ContentFile(data), video_type, len(data), extension)
