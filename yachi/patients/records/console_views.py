"""The doctor's patient chart in the clinic console (病历)."""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError, NotFound
from yachi.core.pages import staff_required
from yachi.patients import selectors
from yachi.patients.identity import masked
from yachi.patients.records import services as records
from yachi.patients.records.access import chart_access, chart_note_access
from yachi.patients.visits import visits


@staff_required
def patient_search(request):
    term = request.GET.get("q", "")
    return render(
        request,
        "patients/console/search.html",
        {
            "term": term,
            "found": selectors.patients_search(actor=request.user, term=term),
            "section": "patients",
        },
    )


def _age(birth: date | None) -> int | None:
    if birth is None:
        return None
    today = date.today()  # noqa: DTZ011  (an age in years; the hour does not matter)
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# A note is written for a visit that happened or is happening, never for one cancelled.
NOTE_VISIT_STATUSES = {"arrived", "in_treatment", "completed"}


def _note_visits(patient, clinic_ids) -> list:
    """The visits a note may be written for: this patient's, at the doctor's clinics."""
    return [
        visit
        for visit in visits.appointments_of_patient(patient_id=patient.pk)
        if visit.clinic_id in clinic_ids and visit.status in NOTE_VISIT_STATUSES
    ]


def _chosen_visit(request, choices):
    wanted = request.POST.get("appointment", "")
    if not wanted:
        return None
    chosen = next((v for v in choices if str(v.public_id) == wanted), None)
    if chosen is None:
        raise NotFound(_("Appointment not found."), code="appointment_not_found")
    return chosen


@staff_required
def chart_page(request, patient_id):
    patient, clinic_ids = chart_access(actor=request.user, patient_id=patient_id)
    note_visits = _note_visits(patient, clinic_ids)
    if request.method == "POST":
        try:
            records.clinical_note_write(
                actor=request.user,
                patient=patient,
                clinic_ids=clinic_ids,
                appointment=_chosen_visit(request, note_visits),
                diagnosis=request.POST.get("diagnosis", ""),
                chief_complaint=request.POST.get("chief_complaint", ""),
                findings=request.POST.get("findings", ""),
                treatment=request.POST.get("treatment", ""),
                patient_summary=request.POST.get("patient_summary", ""),
                advice=request.POST.get("advice", ""),
                share=request.POST.get("share") == "1",
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The note is saved."))
            return redirect("console:chart", patient_id=patient.public_id)
    notes = records.clinical_notes_read(actor=request.user, patient=patient, clinic_ids=clinic_ids)
    doctor = clinics.doctor_of_user(request.user)
    # The note is most likely for this doctor's latest visit of the patient.
    mine = next((v for v in note_visits if doctor and v.doctor_id == doctor.pk), None)
    return render(
        request,
        "patients/console/chart.html",
        {
            "patient": patient,
            "age": _age(patient.birth_date),
            "id_number": masked(patient.id_number),
            "notes": notes,
            "doctor_id": doctor.pk if doctor else None,
            "visits": visits.appointments_of_patient(patient_id=patient.pk),
            "note_visits": note_visits,
            "default_visit": (mine or (note_visits[0] if note_visits else None)),
            # What the doctor typed comes back after a refused save, not lost.
            "draft": request.POST if request.method == "POST" else {},
            "section": "patients",
        },
    )


@staff_required
@require_POST
def note_patient_part(request, patient_id, note_id):
    """The author changes what the patient sees of a note, or stops sharing it."""
    patient, clinic_ids = chart_access(actor=request.user, patient_id=patient_id)
    note = chart_note_access(patient=patient, clinic_ids=clinic_ids, note_id=note_id)
    try:
        note = records.clinical_note_patient_part_change(
            actor=request.user,
            note=note,
            patient_summary=request.POST.get("patient_summary", ""),
            advice=request.POST.get("advice", ""),
            share=request.POST.get("share") == "1",
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Shared with the patient.") if note.shared_at else _("Not shared with the patient."),
        )
    return redirect("console:chart", patient_id=patient.public_id)
