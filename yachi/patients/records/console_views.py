"""The doctor's patient chart in the clinic console (病历)."""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.core.pages import staff_required
from yachi.patients import selectors
from yachi.patients.identity import masked
from yachi.patients.records import services as records
from yachi.patients.records.access import chart_access
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
            "may_open_charts": clinics.anywhere(request.user, clinics.Duty.TREAT),
            "section": "patients",
        },
    )


def _age(birth: date | None) -> int | None:
    if birth is None:
        return None
    today = date.today()  # noqa: DTZ011  (an age in years; the hour does not matter)
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@staff_required
def chart_page(request, patient_id):
    patient, clinic_ids = chart_access(actor=request.user, patient_id=patient_id)
    if request.method == "POST":
        try:
            records.clinical_note_write(
                actor=request.user,
                patient=patient,
                clinic_ids=clinic_ids,
                diagnosis=request.POST.get("diagnosis", ""),
                chief_complaint=request.POST.get("chief_complaint", ""),
                findings=request.POST.get("findings", ""),
                treatment=request.POST.get("treatment", ""),
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The note is saved."))
            return redirect("console:chart", patient_id=patient.public_id)
    notes = records.clinical_notes_read(actor=request.user, patient=patient, clinic_ids=clinic_ids)
    return render(
        request,
        "patients/console/chart.html",
        {
            "patient": patient,
            "age": _age(patient.birth_date),
            "id_number": masked(patient.id_number),
            "notes": notes,
            "visits": visits.appointments_of_patient(patient_id=patient.pk),
            "section": "patients",
        },
    )
