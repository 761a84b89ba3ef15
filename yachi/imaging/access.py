"""The only ways a page or endpoint reaches studies and images (ADR 0005, ADR 0060).

The patient and their family account's holder see every study of theirs; staff see
the studies a clinic of theirs took of a patient seen there. Anyone else, and anything
that does not exist, is "not found". Every staff read leaves an audit entry.
"""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.imaging import selectors
from yachi.imaging.models import Image, Study
from yachi.patients import facade as patients


def _patient_and_clinics(*, actor, patient_id):
    if actor.is_patient:
        return patients.access_family_member_by_id(actor=actor, patient_id=patient_id), None
    return patients.desk_access(actor=actor, patient_id=patient_id)


def access_studies_of_patient(*, actor, patient_id):
    """A patient and the studies the actor may see of them."""
    patient, clinic_ids = _patient_and_clinics(actor=actor, patient_id=patient_id)
    studies = selectors.studies_of_patient(patient=patient, clinic_ids=clinic_ids)
    if not actor.is_patient:
        audit_record(
            action=AuditAction.STUDY_READ,
            actor=actor,
            object_type="patient",
            object_id=patient.public_id,
            details={"studies": len(studies)},
        )
    return patient, studies


def _may_see(actor, study: Study) -> bool:
    if study.patient_id is None:
        allowed = clinics.staff_clinic_ids(actor) if actor.is_clinic_staff else set()
        return allowed is None or study.clinic_id in allowed
    try:
        _patient, clinic_ids = _patient_and_clinics(actor=actor, patient_id=study.patient.public_id)
    except NotFound:
        return False
    return clinic_ids is None or study.clinic_id in clinic_ids


def access_image_by_id(*, actor, image_id) -> Image:
    """One image (its pixels), for the patient, their holder or staff who may see its study;
    a study still in the unmatched queue only for the staff of its clinic."""
    missing = NotFound(_("Image not found."), code="image_not_found")
    public_id = as_public_id(image_id)
    if public_id is None or not (actor.is_patient or actor.is_clinic_staff):
        raise missing
    image = (
        Image.objects.select_related("study__clinic", "study__patient")
        .filter(public_id=public_id)
        .first()
    )
    if image is None or not _may_see(actor, image.study):
        raise missing
    if actor.is_patient and image.study.patient_id is None:
        raise missing
    if not actor.is_patient:
        audit_record(
            action=AuditAction.STUDY_READ,
            actor=actor,
            object_type="study",
            object_id=image.study.public_id,
            clinic=image.study.clinic,
            details={"image": str(image.public_id)},
        )
    return image


def access_unmatched_study(*, actor, clinic, study_id) -> Study:
    """A study of this clinic's unmatched queue (the clinic already checked for the actor)."""
    missing = NotFound(_("Study not found."), code="study_not_found")
    public_id = as_public_id(study_id)
    if public_id is None:
        raise missing
    study = Study.objects.filter(public_id=public_id, clinic=clinic).first()
    if study is None:
        raise missing
    return study
