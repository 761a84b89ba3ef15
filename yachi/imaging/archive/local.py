"""The embedded archive: each file SM4-encrypted under a random name on local disk."""

import uuid

from django.core.files.base import ContentFile
from django.utils import timezone

from yachi.compliance.facade import decrypt_bytes, encrypt_bytes
from yachi.imaging.archive.base import Location
from yachi.imaging.storage import image_storage

FILE_CONTEXT = "imaging.image.file"


class LocalArchive:
    kind = "local"

    def store(self, location: Location, data: bytes) -> Location:
        name = f"imaging/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.dcm.sm4"
        saved = image_storage().save(name, ContentFile(encrypt_bytes(data, context=FILE_CONTEXT)))
        return Location(
            study_uid=location.study_uid,
            series_uid=location.series_uid,
            sop_instance_uid=location.sop_instance_uid,
            file_name=saved,
        )

    def fetch(self, location: Location) -> bytes:
        with image_storage().open(location.file_name, "rb") as stored:
            return decrypt_bytes(stored.read(), context=FILE_CONTEXT)

    def discard(self, location: Location) -> None:
        if location.file_name:
            image_storage().delete(location.file_name)
