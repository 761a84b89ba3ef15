"""Clinical notes (病历) read and written by doctors, each with the audit entry it leaves.

Only doctors read and write clinical notes, and only for patients who have been seen
at a clinic they work in (``records.access.chart_access`` says which); every read and
write by staff is in the audit trail.
"""

from django.db import transaction
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
    appointment=None,
) -> ClinicalNote:
    doctor = clinics.doctor_of_user(actor)
    diagnosis = (diagnosis or "").strip()
    if doctor is None:
        raise PermissionDenied(_("Clinical records are for doctors only."))
    if not diagnosis:
        raise InvalidInput(_("Write a diagnosis."), code="diagnosis_missing")
    texts = {"chief_complaint": chief_complaint, "findings": findings, "treatment": treatment}
    if any(len(text or "") > 5000 for text in [diagnosis, *texts.values()]):
        raise InvalidInput(_("A section of the note is too long (5,000 characters at most)."))
    if appointment is not None:
        if appointment.patient_id != patient.pk or appointment.clinic_id not in clinic_ids:
            raise NotFound(_("Appointment not found."), code="appointment_not_found")
        clinic_id = appointment.clinic_id
    else:
        own = sorted(clinic_ids & (clinics.clinics_where(actor, clinics.Duty.TREAT) or set()))
        clinic_id = own[0]
    note = ClinicalNote.objects.create(
        patient=patient,
        clinic_id=clinic_id,
        author=doctor,
        appointment=appointment,
        diagnosis=diagnosis,
        **{key: (value or "").strip() for key, value in texts.items()},
    )
    audit_record(
        action=AuditAction.CLINICAL_WRITE,
        actor=actor,
        object_type="clinical_note",
        object_id=note.public_id,
        clinic=note.clinic,
        details={"patient": str(patient.public_id)},
    )
    return note
