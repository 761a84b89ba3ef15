"""Where X-ray files live: only ever on this machine's own disk, encrypted."""

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages


def image_storage():
    return storages["imaging"]


def ensure_images_stay_local() -> None:
    """Refuse to start when X-rays would be sent to any other storage: they are the
    clinic's clinical record and stay on its machine (ADR 0060)."""
    storage = image_storage()
    if not isinstance(storage, FileSystemStorage):
        raise ImproperlyConfigured(
            "X-ray images must stay on local storage: STORAGES['imaging'] is "
            f"{type(storage).__module__}.{type(storage).__qualname__}, which is not a local "
            "file system storage."
        )
