"""The confirm / cancel page a reminder links to: no login, the signed link is the key.

Opening the link only shows the appointment; confirming or cancelling takes a button
press (a POST), so link previews and scanners never cancel anything.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.booking import services
from yachi.booking.models import Appointment
from yachi.booking.policy import patient_may_change
from yachi.booking.reminders import services as reminders
from yachi.core.errors import DomainError


def appointment_link(request, token: str):
    found = reminders.read_link(token)
    appointment = None
    if found:
        appointment = (
            Appointment.objects.select_related(
                "clinic", "doctor", "service", "patient__account__owner"
            )
            .filter(public_id=found[0])
            .first()
        )
    if appointment is None:
        return render(request, "booking/reminders/link_invalid.html", status=404)
    outdated = appointment.start.isoformat() != found[1] or appointment.start < timezone.now()
    if request.method == "POST" and not outdated:
        holder = appointment.patient.account.owner
        try:
            if request.POST.get("action") == "cancel":
                services.appointment_cancel(
                    actor=holder, appointment=appointment, reason=_("Cancelled from a reminder")
                )
                messages.success(request, _("The appointment is cancelled."))
            else:
                services.appointment_confirm(appointment=appointment)
                messages.success(request, _("Thank you, see you then."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect(request.path)
    return render(
        request,
        "booking/reminders/link.html",
        {
            "appointment": appointment,
            "outdated": outdated,
            "may_change": patient_may_change(appointment),
        },
    )
