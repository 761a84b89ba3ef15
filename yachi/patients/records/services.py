"""Clinical notes (病历) read and written by doctors, each with the audit entry it leaves.

Only doctors read and write clinical notes, and only for patients who have been seen
at a clinic they work in (``records.access.chart_access`` says which); every read and
write by staff is in the audit trail.

A note has a part for the patient: a summary and the doctor's advice (医嘱), which the
family sees in its visit history once the doctor shares them. Sharing is the doctor's
choice, off by default, and only that part is ever shown: the chart stays for doctors.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput, NotFound, PermissionDenied
from yachi.patients.models import ClinicalNote, Patient


def clinical_notes_read(*, actor, patient: Patient, clinic_ids: set[int]) -> list[ClinicalNote]:
    notes = list(
        ClinicalNote.objects.filter(patient=patient, clinic_id__in=clinic_ids).select_related(
            "author", "clinic"
        )
    )
    audit_record(
        action=AuditAction.CLINICAL_READ,
        actor=actor,
        object_type="patient",
        object_id=patient.public_id,
        clinic=notes[0].clinic if len({n.clinic_id for n in notes}) == 1 else "",
        details={"notes": len(notes)},
    )
    return notes


@transaction.atomic
def clinical_note_write(
    *,
    actor,
    patient: Patient,
    clinic_ids: set[int],
    diagnosis: str,
    chief_complaint: str = "",
    findings: str = "",
    treatment: str = "",
    patient_summary: str = "",
    advice: str = "",
    share: bool = False,
    appointment=None,
) -> ClinicalNote:
    doctor = clinics.doctor_of_user(actor)
    diagnosis = (diagnosis or "").strip()
    if doctor is None:
        raise PermissionDenied(_("Clinical records are for doctors only."))
    if not diagnosis:
        raise InvalidInput(_("Write a diagnosis."), code="diagnosis_missing")
    texts = {"chief_complaint": chief_complaint, "findings": findings, "treatment": treatment}
    if any(len(text or "") > MAX_TEXT for text in [diagnosis, *texts.values()]):
        raise InvalidInput(_("A section of the note is too long (5,000 characters at most)."))
    patient_part = _patient_part(patient_summary=patient_summary, advice=advice, share=share)
    if appointment is not None:
        if appointment.patient_id != patient.pk or appointment.clinic_id not in clinic_ids:
            raise NotFound(_("Appointment not found."), code="appointment_not_found")
        clinic_id = appointment.clinic_id
    else:
        own = sorted(clinic_ids & (clinics.staff_clinic_ids(actor) or set()))
        clinic_id = own[0]
    note = ClinicalNote.objects.create(
        patient=patient,
        clinic_id=clinic_id,
        author=doctor,
        appointment=appointment,
        diagnosis=diagnosis,
        **{key: (value or "").strip() for key, value in texts.items()},
        **patient_part,
    )
    audit_record(
        action=AuditAction.CLINICAL_WRITE,
        actor=actor,
        object_type="clinical_note",
        object_id=note.public_id,
        clinic=note.clinic,
        details={"patient": str(patient.public_id), "shared": bool(note.shared_at)},
    )
    return note


MAX_TEXT = 5000


def _patient_part(*, patient_summary: str, advice: str, share: bool) -> dict:
    patient_summary, advice = (patient_summary or "").strip(), (advice or "").strip()
    if len(patient_summary) > MAX_TEXT or len(advice) > MAX_TEXT:
        raise InvalidInput(_("A section of the note is too long (5,000 characters at most)."))
    if share and not (patient_summary or advice):
        raise InvalidInput(
            _("Write a summary or advice for the patient before sharing it."),
            code="nothing_to_share",
        )
    return {
        "patient_summary": patient_summary,
        "advice": advice,
        "shared_at": timezone.now() if share else None,
    }


@transaction.atomic
def clinical_note_patient_part_change(
    *, actor, note: ClinicalNote, patient_summary: str, advice: str, share: bool
) -> ClinicalNote:
    """The note's author changes what the patient reads of it, or whether they read it.

    The chart's own text is not changed here: a doctor who wrote something wrong adds a
    new note, so that the record keeps what was written.
    """
    doctor = clinics.doctor_of_user(actor)
    if doctor is None or doctor.pk != note.author_id:
        raise PermissionDenied(
            _("Only the doctor who wrote this note can change what the patient sees of it."),
            code="not_the_author",
        )
    part = _patient_part(patient_summary=patient_summary, advice=advice, share=share)
    if share and note.shared_at is not None:
        part["shared_at"] = note.shared_at  # shared before: keep when it was first shared
    before = bool(note.shared_at)
    ClinicalNote.objects.filter(pk=note.pk).update(**part, updated_at=timezone.now())
    audit_record(
        action=AuditAction.CLINICAL_WRITE,
        actor=actor,
        object_type="clinical_note",
        object_id=note.public_id,
        clinic=note.clinic,
        details={
            "patient": str(note.patient.public_id),
            "change": "patient_part",
            "shared": share,
            "was_shared": before,
        },
    )
    note.refresh_from_db()
    return note
