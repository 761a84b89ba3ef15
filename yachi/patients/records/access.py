"""Who may open a patient's chart: doctors, for patients seen at a clinic they work in;
front desk and managers schedule, they do not read charts."""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound, PermissionDenied
from yachi.core.models import as_public_id
from yachi.core.roles import Role
from yachi.patients.models import ClinicalNote, Patient
from yachi.patients.visits import visits


def _clinics_of_patient(patient: Patient) -> set[int]:
    visited = visits.clinic_ids_visited_by(patient_id=patient.pk)
    written = set(ClinicalNote.objects.filter(patient=patient).values_list("clinic_id", flat=True))
    return visited | written


def chart_access(*, actor, patient_id) -> tuple[Patient, set[int]]:
    """The patient, and the clinics whose records this doctor may see for them.

    "Not a patient of your clinics" and "no such patient" look the same (404);
    staff who are not doctors are told plainly that charts are for doctors (403).
    """
    if actor.role != Role.DOCTOR:
        raise PermissionDenied(
            _("Clinical records are for doctors only."), code="clinical_records_forbidden"
        )
    missing = NotFound(_("Patient not found."), code="patient_not_found")
    public_id = as_public_id(patient_id)
    if public_id is None:
        raise missing
    patient = Patient.objects.select_related("account").filter(public_id=public_id).first()
    if patient is None:
        raise missing
    shared = _clinics_of_patient(patient) & (clinics.staff_clinic_ids(actor) or set())
    if not shared:
        raise missing
    return patient, shared


def chart_note_access(*, patient: Patient, clinic_ids: set[int], note_id) -> ClinicalNote:
    """One note of a chart the doctor may open (``chart_access`` first); else "not found"."""
    public_id = as_public_id(note_id)
    note = (
        ClinicalNote.objects.select_related("patient", "clinic", "author")
        .filter(public_id=public_id, patient=patient, clinic_id__in=clinic_ids)
        .first()
        if public_id
        else None
    )
    if note is None:
        raise NotFound(_("Note not found."), code="note_not_found")
    return note
