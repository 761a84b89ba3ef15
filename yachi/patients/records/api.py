from ninja import Router, Status

from yachi.core.errors import NotFound
from yachi.core.schemas import errors
from yachi.patients.records import services as records
from yachi.patients.records.access import chart_access, chart_note_access
from yachi.patients.schemas import ClinicalNoteIn, ClinicalNoteOut, NotePatientPartIn
from yachi.patients.visits import visits

router = Router(tags=["records"])


@router.get(
    "/patients/{patient_id}/notes",
    response={200: list[ClinicalNoteOut], **errors(401, 403, 404)},
)
def list_notes(request, patient_id: str):
    """Doctors: the clinical notes of a patient seen at their clinics (audited)."""
    patient, clinic_ids = chart_access(actor=request.user, patient_id=patient_id)
    return records.clinical_notes_read(actor=request.user, patient=patient, clinic_ids=clinic_ids)


@router.post(
    "/patients/{patient_id}/notes",
    response={201: ClinicalNoteOut, **errors(400, 401, 403, 404, 413, 422)},
)
def write_note(request, patient_id: str, payload: ClinicalNoteIn):
    """Doctors: write a clinical note, optionally for one of the patient's appointments."""
    patient, clinic_ids = chart_access(actor=request.user, patient_id=patient_id)
    appointment = None
    if payload.appointment_id:
        appointment = visits.appointment_by_public_id(public_id=payload.appointment_id)
        if appointment is None:
            raise NotFound(code="appointment_not_found")
    note = records.clinical_note_write(
        actor=request.user,
        patient=patient,
        clinic_ids=clinic_ids,
        appointment=appointment,
        diagnosis=payload.diagnosis,
        chief_complaint=payload.chief_complaint,
        findings=payload.findings,
        treatment=payload.treatment,
        patient_summary=payload.patient_summary,
        advice=payload.advice,
        share=payload.shared,
    )
    return Status(201, note)


@router.put(
    "/patients/{patient_id}/notes/{note_id}/patient-part",
    response={200: ClinicalNoteOut, **errors(400, 401, 403, 404, 413, 422)},
)
def change_patient_part(request, patient_id: str, note_id: str, payload: NotePatientPartIn):
    """The note's author: what the patient reads of it (summary, 医嘱) and whether it is shared."""
    patient, clinic_ids = chart_access(actor=request.user, patient_id=patient_id)
    note = chart_note_access(patient=patient, clinic_ids=clinic_ids, note_id=note_id)
    return records.clinical_note_patient_part_change(
        actor=request.user,
        note=note,
        patient_summary=payload.patient_summary,
        advice=payload.advice,
        share=payload.shared,
    )
