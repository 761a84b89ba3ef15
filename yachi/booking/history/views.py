"""The patient's visit history pages: the list, one visit, and "再约"."""

from django.shortcuts import render

from yachi.booking.access import access_appointment_by_id
from yachi.booking.choices import Status
from yachi.booking.history import selectors
from yachi.core.errors import NotFound
from yachi.core.pages import patient_required
from yachi.patients import facade as patients

# Visits a page of the history shows; the next page starts after its last one.
PAGE = 20


def completed_visit(*, actor, appointment_id):
    """One of the family's completed visits; any other appointment is "not found"."""
    appointment = access_appointment_by_id(actor=actor, appointment_id=appointment_id)
    if not actor.is_patient or appointment.status != Status.COMPLETED:
        raise NotFound(code="visit_not_found")
    return appointment


@patient_required
def visits_page(request):
    account = patients.account_of(request.user)
    everyone = patients.everyone_on(account)
    wanted = request.GET.get("who", "")
    person = next((p for p in everyone if str(p.public_id) == wanted), None)
    before = selectors.visit_cursor(account=account, visit_id=request.GET.get("before", ""))
    # One more than a page tells whether there is an earlier page.
    visits = selectors.visit_history(account=account, patient=person, limit=PAGE + 1, before=before)
    return render(
        request,
        "booking/history/visits.html",
        {
            "visits": visits[:PAGE],
            "earlier": visits[PAGE - 1].appointment.public_id if len(visits) > PAGE else None,
            "paged": before is not None,
            "everyone": everyone,
            "person": person,
            "tab": "appointments",
        },
    )


@patient_required
def visit_page(request, appointment_id):
    appointment = completed_visit(actor=request.user, appointment_id=appointment_id)
    return render(
        request,
        "booking/history/visit.html",
        {
            "visit": selectors.visit_of(appointment),
            "rebook": selectors.rebook_of(appointment),
            "tab": "appointments",
        },
    )
