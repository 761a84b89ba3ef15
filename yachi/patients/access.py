from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.patients.models import FacePhoto, FamilyAccount, Patient
from yachi.patients.services import account_open
from yachi.patients.visits import visits


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


def own_holder(user) -> Patient:
    """The holder of the patient user's own family account, in one query; the account
    is opened on first use as ``account_of`` does."""
    found = (
        Patient.objects.select_related("account").filter(account__owner=user, seat=0).first()
        if user.is_patient
        else None
    )
    return found if found is not None else holder(account_of(user))


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


def desk_access(*, actor, patient_id) -> tuple[Patient, set[int] | None]:
    """A patient for the front desk's page, and the clinics whose visits and bills the
    actor sees for them: staff of a clinic where this person was seen (every clinic for
    chain-wide staff). "Not one of yours" and "no such patient" are both 404."""
    missing = NotFound(_("Patient not found."), code="patient_not_found")
    public_id = as_public_id(patient_id)
    if public_id is None or not actor.is_clinic_staff:
        raise missing
    patient = (
        Patient.objects.select_related("account__owner")
        .filter(public_id=public_id, removed_at__isnull=True)
        .first()
    )
    if patient is None:
        raise missing
    mine = clinics.staff_clinic_ids(actor)
    if mine is None:
        return patient, None
    shared = visits.clinic_ids_visited_by(patient_id=patient.pk) & mine
    if not shared:
        raise missing
    return patient, shared


def seen_at(*, patient: Patient, clinic_id: int) -> bool:
    """Whether this person has been seen at this clinic (an X-ray study is given to a
    patient only by a clinic that knows them)."""
    return clinic_id in visits.clinic_ids_visited_by(patient_id=patient.pk)
