"""Facial photos: only with consent, only on this machine's disk, only encrypted."""

import uuid

from django.core.files.base import ContentFile
from django.db import transaction

from yachi.compliance.facade import decrypt_bytes, encrypt_bytes
from yachi.core.uploads import clean_image
from yachi.patients.models import FacePhoto, FamilyAccount, Patient
from yachi.patients.privacy.consents import Kind, require_consent

CONTEXT = "patients.facephoto.file"


@transaction.atomic
def face_photo_add(*, actor, patient: Patient, upload) -> FacePhoto:
    require_consent(account=patient.account, kind=Kind.FACIAL_IMAGES)
    image = clean_image(upload)
    photo = FacePhoto(
        patient=patient,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        uploaded_by=actor,
    )
    # A random file name: the patient's identity is not in the path.
    photo.file.save(
        f"{uuid.uuid4().hex}.sm4",
        ContentFile(encrypt_bytes(image.content, context=CONTEXT)),
        save=False,
    )
    photo.save()
    return photo


def face_photo_content(photo: FacePhoto) -> bytes:
    with photo.file.open("rb") as stored:
        return decrypt_bytes(stored.read(), context=CONTEXT)


def face_photo_delete(*, photo: FacePhoto) -> None:
    name = photo.file.name
    photo.delete()
    transaction.on_commit(lambda: photo.file.storage.delete(name))


def face_photos_delete_all(*, account: FamilyAccount) -> int:
    photos = list(FacePhoto.objects.filter(patient__account=account))
    for photo in photos:
        face_photo_delete(photo=photo)
    return len(photos)
