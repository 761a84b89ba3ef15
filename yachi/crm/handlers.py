"""How CRM follows booking: a completed visit invites its patient to the survey."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from yachi.booking.facade import AppointmentStatusChanged, appointment_by_pk
from yachi.core.events import subscribe
from yachi.messaging import facade as messaging


@subscribe(AppointmentStatusChanged)
def invite_to_survey(event: AppointmentStatusChanged) -> None:
    if event.status != "completed":
        return
    from yachi.crm.feedback.services import SURVEY_DAYS, survey_invite_params

    appointment = appointment_by_pk(event.appointment_id)
    if appointment is None:
        return
    messaging.notify(
        recipient=appointment.patient.account.owner,
        kind="visit_survey",
        params={
            **survey_invite_params(appointment),
            "link": reverse("web:survey", args=[appointment.public_id]),
        },
        key=f"visit_survey:{appointment.public_id}",
        object_type="booking.appointment",
        object_id=appointment.public_id,
        link_expires_at=timezone.now() + timedelta(days=SURVEY_DAYS),
    )
