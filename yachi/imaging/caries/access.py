"""The only ways a page or endpoint reaches caries marks (ADR 0005, ADR 0061).

A study's marks follow the study's own rules (``imaging.access``): the patient and their
family's holder, staff of a clinic where the patient was seen. Patients see only what a
doctor confirmed; staff see every mark, and each staff read is an audit entry.
"""

from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.imaging.access import _may_see
from yachi.imaging.caries import selectors
from yachi.imaging.caries.models import CariesMark
from yachi.imaging.models import Study


def access_findings_of_study(*, actor, study_id):
    """A study and the caries marks the actor may see on it."""
    missing = NotFound(_("Study not found."), code="study_not_found")
    public_id = as_public_id(study_id)
    if public_id is None or not (actor.is_patient or actor.is_clinic_staff):
        raise missing
    study = Study.objects.select_related("clinic", "patient").filter(public_id=public_id).first()
    if study is None or not _may_see(actor, study):
        raise missing
    if actor.is_patient and study.patient_id is None:
        raise missing
    marks = selectors.marks_of_study(study=study, confirmed_only=actor.is_patient)
    if not actor.is_patient:
        audit_record(
            action=AuditAction.CARIES_MARKS_READ,
            actor=actor,
            object_type="study",
            object_id=study.public_id,
            clinic=study.clinic,
            details={"marks": len(marks)},
        )
    return study, marks


def access_mark_by_id(*, actor, mark_id) -> CariesMark:
    """A mark for the staff who may see its study (patients review nothing)."""
    missing = NotFound(_("Caries mark not found."), code="mark_not_found")
    public_id = as_public_id(mark_id)
    if public_id is None or not actor.is_clinic_staff:
        raise missing
    mark = (
        CariesMark.objects.select_related("image__study__clinic", "image__study__patient")
        .filter(public_id=public_id)
        .first()
    )
    if mark is None or not _may_see(actor, mark.image.study):
        raise missing
    return mark
