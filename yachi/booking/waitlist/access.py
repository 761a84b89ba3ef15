"""The only ways a request reaches a waitlist entry or offer: the caller's own, or "not found"."""

from django.utils.translation import gettext as _

from yachi.booking.waitlist.models import WaitlistEntry, WaitlistOffer
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id


def waitlist_entries_of(user):
    return WaitlistEntry.objects.filter(patient__account__owner=user).select_related(
        "patient", "service", "doctor"
    )


def access_waitlist_entry_by_id(*, actor, entry_id) -> WaitlistEntry:
    missing = NotFound(_("Waitlist entry not found."), code="waitlist_not_found")
    public_id = as_public_id(entry_id)
    entry = waitlist_entries_of(actor).filter(public_id=public_id).first() if public_id else None
    if entry is None or not actor.is_patient:
        raise missing
    return entry


def access_waitlist_offer_by_id(*, actor, offer_id) -> WaitlistOffer:
    missing = NotFound(_("Offer not found."), code="offer_not_found")
    public_id = as_public_id(offer_id)
    offer = (
        WaitlistOffer.objects.select_related("entry", "appointment")
        .filter(public_id=public_id, entry__patient__account__owner=actor)
        .first()
        if public_id
        else None
    )
    if offer is None or not actor.is_patient:
        raise missing
    return offer
