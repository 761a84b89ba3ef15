"""The doctor's patient chart in the clinic console (病历)."""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yachi.accounts import facade as accounts
from yachi.clinics import facade as clinics
from yachi.compliance.facade import blind_index
from yachi.core.errors import DomainError
from yachi.core.pages import staff_required
from yachi.patients.identity import masked, normalize_id_number
from yachi.patients.models import Patient
from yachi.patients.records import services as records
from yachi.patients.records.access import chart_access
from yachi.patients.visits import visits

# A common name is shared by many: a search by name shows at most this many people.
NAME_MATCHES = 20


def _find(term: str) -> list[Patient]:
    """People with this mobile number (their whole family), this ID number or this
    whole name. Names are encrypted: they are found through the blind index of the
    whole name, never by a part of it (ADR 0018)."""
    term = term.strip()
    try:
        user = accounts.patient_user_by_phone(term)
    except DomainError:
        user = None
    if user is not None:
        return list(
            Patient.objects.filter(account__owner=user, removed_at__isnull=True).order_by("seat")
        )
    try:
        normalize_id_number(term)
    except DomainError:
        named = Patient.objects.filter(name_index__matches=term, removed_at__isnull=True)
        return list(named.order_by("pk")[:NAME_MATCHES])
    return list(Patient.objects.filter(id_number_index=blind_index("id_number", term)))


@staff_required
def patient_search(request):
    term = request.GET.get("q", "")
    found = []
    if term:
        mine = clinics.staff_clinic_ids(request.user)
        for person in _find(term):
            visited = visits.clinic_ids_visited_by(patient_id=person.pk)
            if mine is None or visited & mine:
                found.append(person)
    return render(
        request,
        "patients/console/search.html",
        {
            "term": term,
            "found": found,
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
