"""Where facial photos live: only ever on this machine's own disk."""

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages


def face_storage():
    return storages["faces"]


def ensure_faces_stay_local() -> None:
    """Refuse to start when facial photos would be sent to any other storage.

    Facial information is sensitive personal information under PIPL; Yachi keeps it on
    the clinic's own machine, whatever object storage the rest of the files use.
    """
    storage = face_storage()
    if not isinstance(storage, FileSystemStorage):
        raise ImproperlyConfigured(
            "Facial photos must stay on local storage: STORAGES['faces'] (or "
            f"YACHI_FACE_STORAGE_BACKEND) is {type(storage).__module__}."
            f"{type(storage).__qualname__}, which is not a local file system storage."
        )
