"""The only way a request reaches an appointment: checked against the caller.

"Not yours" and "does not exist" give the same answer, so ids cannot be probed.
"""

from uuid import UUID

from django.utils.translation import gettext as _

from yachi.booking.models import Appointment, WaitlistEntry, WaitlistOffer
from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound


def _not_found() -> NotFound:
    return NotFound(_("Appointment not found."), code="appointment_not_found")


def access_appointment_by_id(*, actor, appointment_id) -> Appointment:
    try:
        public_id = UUID(str(appointment_id))
    except ValueError:
        raise _not_found() from None
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


def waitlist_entries_of(user):
    return WaitlistEntry.objects.filter(patient__account__owner=user).select_related(
        "patient", "service", "doctor"
    )


def access_waitlist_entry_by_id(*, actor, entry_id) -> WaitlistEntry:
    missing = NotFound(_("Waitlist entry not found."), code="waitlist_not_found")
    try:
        entry = waitlist_entries_of(actor).filter(public_id=UUID(str(entry_id))).first()
    except ValueError:
        raise missing from None
    if entry is None or not actor.is_patient:
        raise missing
    return entry


def access_waitlist_offer_by_id(*, actor, offer_id) -> WaitlistOffer:
    missing = NotFound(_("Offer not found."), code="offer_not_found")
    try:
        offer = (
            WaitlistOffer.objects.select_related("entry", "appointment")
            .filter(public_id=UUID(str(offer_id)), entry__patient__account__owner=actor)
            .first()
        )
    except ValueError:
        raise missing from None
    if offer is None or not actor.is_patient:
        raise missing
    return offer
