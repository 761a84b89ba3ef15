"""Writes of imaging: an instance received from a unit, a study assigned from the queue."""

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput
from yachi.imaging.archive import ArchiveUnavailable, receiving_archive
from yachi.imaging.archive.base import Location
from yachi.imaging.caries import services as caries
from yachi.imaging.caries.tasks import caries_mark_job
from yachi.imaging.choices import UnmatchedReason
from yachi.imaging.dicom.instances import (
    OUT_OF_RESOURCES,
    Instance,
    Refused,
    names_agree,
    read_instance,
)
from yachi.imaging.models import Image, Study
from yachi.patients import facade as patients

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Received:
    """What became of one instance: kept (``created``) or already kept (a resend)."""

    image: Image
    created: bool


def _match(instance: Instance, clinic):
    """The patient a study's Patient ID names, or the reason it waits for staff."""
    if not instance.patient_id:
        return None, UnmatchedReason.NO_PATIENT_ID
    patient = patients.patient_by_chart_number(instance.patient_id)
    if patient is None:
        return None, UnmatchedReason.UNKNOWN_PATIENT_ID
    if not patients.seen_at(patient=patient, clinic_id=clinic.pk):
        return None, UnmatchedReason.NOT_SEEN_HERE
    romanised = "".join(lazy_pinyin(patient.name, style=Style.NORMAL))
    if not names_agree(instance.patient_name, [patient.name, romanised]):
        return None, UnmatchedReason.NAME_MISMATCH
    return patient, ""


def _taken_at(instance: Instance, clinic):
    if instance.taken_at is None:
        return timezone.now()
    return instance.taken_at.replace(tzinfo=ZoneInfo(clinic.timezone))


def _study_for(instance: Instance, *, clinic, sent_by: str) -> Study:
    study = Study.objects.filter(clinic=clinic, study_uid=instance.study_uid).first()
    if study is not None:
        return study
    patient, reason = _match(instance, clinic)
    try:
        with transaction.atomic():
            study = Study.objects.create(
                clinic=clinic,
                patient=patient,
                study_uid=instance.study_uid,
                modality=instance.modality,
                taken_at=_taken_at(instance, clinic),
                description=instance.description,
                sent_patient_id=instance.patient_id,
                sent_patient_name=instance.patient_name,
                unmatched_reason=reason,
                sent_by=sent_by[:16],
            )
    except IntegrityError:
        # Another association of the same study got there first.
        return Study.objects.get(clinic=clinic, study_uid=instance.study_uid)
    audit_record(
        action=AuditAction.STUDY_RECEIVED,
        object_type="study",
        object_id=study.public_id,
        clinic=clinic,
        details={"modality": study.modality, "matched": patient is not None, "from": sent_by},
    )
    return study


def instance_receive(*, clinic, data: bytes, sent_by: str = "") -> Received:
    """Keep one instance an X-ray unit sent to this clinic's node: its study is found or
    made (matched to a patient by chart number, or queued for staff) and the file is kept
    whole in the archive (encrypted on this machine's disk, or in the PACS). Raises
    ``Refused`` for what cannot be kept, the archive being unreachable included."""
    instance = read_instance(data, max_bytes=settings.YACHI_DICOM_MAX_BYTES)
    known = Image.objects.filter(sop_instance_uid=instance.sop_instance_uid).first()
    if known is not None:
        return Received(image=known, created=False)
    archive = receiving_archive()
    # The file goes first, the rows after: a row never names a file that is not kept.
    try:
        location = archive.store(
            Location(
                study_uid=instance.study_uid,
                series_uid=instance.series_uid,
                sop_instance_uid=instance.sop_instance_uid,
            ),
            data,
        )
    except ArchiveUnavailable as error:
        raise Refused(
            "archive_unavailable", "The X-ray archive cannot be reached.", OUT_OF_RESOURCES
        ) from error
    try:
        with transaction.atomic():
            study = _study_for(instance, clinic=clinic, sent_by=sent_by)
            image = Image.objects.create(
                study=study,
                sop_instance_uid=instance.sop_instance_uid,
                sop_class_uid=instance.sop_class_uid,
                series_uid=instance.series_uid,
                series_number=instance.series_number,
                instance_number=instance.instance_number,
                modality=instance.modality,
                rows=instance.rows,
                columns=instance.columns,
                frames=instance.frames,
                size=len(data),
                archive=archive.kind,
                file=location.file_name,
            )
    except IntegrityError:
        archive.discard(location)
        known = Image.objects.filter(sop_instance_uid=instance.sop_instance_uid).first()
        if known is None:
            raise
        return Received(image=known, created=False)
    except BaseException:
        archive.discard(location)
        raise
    if caries.wants_marks(image):
        # The model marks suspected caries in a job, after the image is safely kept.
        transaction.on_commit(lambda: caries_mark_job(image.pk))
    return Received(image=image, created=True)


@transaction.atomic
def study_assign(*, actor, study: Study, chart_number: str) -> Study:
    """Give a study from the clinic's unmatched queue to the patient with this chart
    number, who must have been seen at the study's clinic."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    if study.patient_id is not None:
        raise Conflict(_("This study has already been given to a patient."), code="study_matched")
    patient = patients.patient_by_chart_number(chart_number)
    if patient is None or not patients.seen_at(patient=patient, clinic_id=study.clinic_id):
        raise InvalidInput(
            _("No patient seen at this clinic has this chart number."),
            code="chart_number_unknown",
        )
    study.patient = patient
    study.assigned_by = actor
    study.assigned_at = timezone.now()
    study.save(update_fields=["patient", "assigned_by", "assigned_at", "updated_at"])
    audit_record(
        action=AuditAction.STUDY_ASSIGNED,
        actor=actor,
        object_type="study",
        object_id=study.public_id,
        clinic=study.clinic,
        details={"patient": str(patient.public_id), "reason": study.unmatched_reason},
    )
    return study


__all__ = ["Received", "Refused", "instance_receive", "study_assign"]
