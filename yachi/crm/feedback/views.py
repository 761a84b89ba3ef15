"""The patient's survey page after a visit (the link in the visit's message)."""

from django.conf import settings
from django.shortcuts import render

from yachi.booking import facade as booking
from yachi.core.errors import DomainError
from yachi.core.pages import patient_required
from yachi.crm.feedback import selectors, services

SCORES = range(0, 11)


@patient_required
def survey_page(request, appointment_id):
    appointment = booking.access_appointment_by_id(
        actor=request.user, appointment_id=appointment_id
    )
    answered = selectors.survey_of_appointment(appointment.pk)
    error, status = "", 200
    if request.method == "POST" and answered is None:
        try:
            score = int(request.POST.get("score", ""))
        except ValueError:
            score = None
        try:
            answered = services.survey_answer(
                user=request.user,
                appointment=appointment,
                score=score,
                comment=request.POST.get("comment", ""),
            )
        except DomainError as exc:
            error, status = str(exc.message), exc.status
    return render(
        request,
        "crm/survey.html",
        {
            "appointment": appointment,
            "answered": answered,
            "error": error,
            "scores": SCORES,
            "points": settings.YACHI_POINTS_FOR_SURVEY,
            "comment": request.POST.get("comment", "") if error else "",
            "tab": "me",
        },
        status=status,
    )
