from django.utils.translation import gettext as _

from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.patients.models import FacePhoto, FamilyAccount, Patient
from yachi.patients.services import account_open


def account_of(user) -> FamilyAccount:
    """The caller's own family account (patients only)."""
    if not user.is_patient:
        raise NotFound(_("Only patients have family accounts."), code="not_a_patient")
    return account_open(user=user)


def access_family_member_by_id(*, actor, patient_id) -> Patient:
    """A person on the caller's own family account, the holder included."""
    missing = NotFound(_("Family member not found."), code="patient_not_found")
    public_id = as_public_id(patient_id)
    if public_id is None or not actor.is_patient:
        raise missing
    patient = (
        Patient.objects.select_related("account")
        .filter(public_id=public_id, account__owner=actor, removed_at__isnull=True)
        .first()
    )
    if patient is None:
        raise missing
    return patient


def holder(account: FamilyAccount) -> Patient:
    return Patient.objects.select_related("account").get(account=account, seat=0)


def access_face_photo_by_id(*, actor, photo_id) -> FacePhoto:
    """A facial photo of someone on the caller's own family account."""
    missing = NotFound(_("Photo not found."), code="photo_not_found")
    public_id = as_public_id(photo_id)
    if public_id is None:
        raise missing
    photo = (
        FacePhoto.objects.select_related("patient__account")
        .filter(public_id=public_id, patient__account__owner=actor)
        .first()
        if actor.is_patient
        else None
    )
    if photo is None:
        raise missing
    return photo
