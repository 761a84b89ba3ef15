"""The only way a request reaches an appointment: checked against the caller.

"Not yours" and "does not exist" give the same answer, so ids cannot be probed.
"""

from django.utils.translation import gettext as _

from yachi.booking.models import Appointment
from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id


def _not_found() -> NotFound:
    return NotFound(_("Appointment not found."), code="appointment_not_found")


def access_appointment_by_id(*, actor, appointment_id) -> Appointment:
    public_id = as_public_id(appointment_id)
    if public_id is None:
        raise _not_found()
    queryset = Appointment.objects.select_related(
        "clinic", "doctor", "chair", "service", "patient", "patient__account"
    )
    appointment = queryset.filter(public_id=public_id).first()
    if appointment is None:
        raise _not_found()
    if actor.is_patient:
        if appointment.patient.account.owner_id != actor.pk:
            raise _not_found()
        return appointment
    allowed = clinics.staff_clinic_ids(actor)
    if allowed is not None and appointment.clinic_id not in allowed:
        raise _not_found()
    return appointment
