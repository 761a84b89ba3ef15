"""The waitlist: when a time is freed, offer it to the people waiting for it.

Fair order: people in pain first, then first come, first served. The offer holds the
time with a *pending* appointment, which the database's no-double-booking guard
protects like any other: nobody else can book it while it is held, an offer can only
be made for a time that is still free, and two offers can never confirm the same time.
When an offer runs out or is declined, its hold is cancelled, which frees the time
again and offers it to the next person; once someone books it, offering stops.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.booking.choices import Channel, OfferStatus, Status, WaitlistStatus
from yachi.booking.errors import SlotTaken
from yachi.booking.models import Appointment
from yachi.booking.reminders.services import local_time
from yachi.booking.services import (
    _chairs_for,
    _clashing,
    _overlapping,
    _refresh_after_commit,
    _transition,
    _write_with_chair,
    booking_horizon,
)
from yachi.booking.waitlist.models import WaitlistEntry, WaitlistOffer
from yachi.clinics import facade as clinics
from yachi.core.errors import Conflict, InvalidInput
from yachi.messaging import facade as messaging

MAX_WINDOW_DAYS = 14


def waitlist_join(
    *,
    actor,
    patient,
    service,
    earliest: datetime,
    latest: datetime,
    doctor=None,
    is_emergency: bool = False,
) -> WaitlistEntry:
    now = timezone.now()
    if earliest.tzinfo is None or latest.tzinfo is None:
        raise InvalidInput(_("Give the times with their UTC offset, e.g. +08:00."))
    if not now < latest or latest <= earliest:
        raise InvalidInput(_("Choose a window that ends in the future."), code="invalid_window")
    if latest - max(earliest, now) > timedelta(days=MAX_WINDOW_DAYS):
        raise InvalidInput(_("The window can be at most 14 days."), code="invalid_window")
    if earliest > now + booking_horizon(actor):
        # Freed times are offered only as far ahead as the person could book them.
        raise InvalidInput(
            _("This window is too far ahead to wait for yet."), code="invalid_window"
        )
    if doctor is not None and not (
        clinics.doctor_works_at(doctor=doctor, clinic=service.clinic)
        and clinics.doctor_has_skill(doctor=doctor, skill=service.required_skill)
    ):
        raise InvalidInput(_("This doctor does not provide this service here."))
    if WaitlistEntry.objects.filter(
        patient=patient,
        service=service,
        status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED),
    ).exists():
        raise Conflict(
            _("This person is already on the waitlist for this service."), code="already_waiting"
        )
    return WaitlistEntry.objects.create(
        patient=patient,
        requested_by=actor,
        clinic=service.clinic,
        service=service,
        doctor=doctor,
        earliest=max(earliest, now),
        latest=latest,
        is_emergency=is_emergency,
    )


def waitlist_withdraw(*, entry: WaitlistEntry) -> None:
    with transaction.atomic():
        updated = WaitlistEntry.objects.filter(
            pk=entry.pk, status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED)
        ).update(status=WaitlistStatus.WITHDRAWN)
        if updated:
            for offer in entry.offers.filter(status=OfferStatus.OPEN):
                _close(offer, OfferStatus.DECLINED)


def _candidates(*, doctor_id: int, clinic_id: int, start: datetime, end: datetime):
    entries = WaitlistEntry.objects.filter(
        clinic_id=clinic_id,
        status=WaitlistStatus.WAITING,
        earliest__lte=start,
        latest__gt=start,
    ).select_related("service", "patient__account__owner", "clinic")
    for entry in entries:
        if entry.doctor_id not in (None, doctor_id):
            continue
        length = timedelta(minutes=entry.service.duration_minutes)
        if start + length > min(end, entry.latest):
            continue
        if WaitlistOffer.objects.filter(entry=entry, doctor_id=doctor_id, start=start).exists():
            continue  # already had its chance at this time
        yield entry


def offer_freed_time(
    *, doctor_id: int, clinic_id: int, start: datetime, end: datetime
) -> WaitlistOffer | None:
    """Offer a freed time to the first person waiting who fits it.

    The hold runs from when the offer can reach a phone: a time freed at night is held
    from the end of the quiet hours, so that it is not passed from one sleeping person to
    the next; a time that starts before then is not offered."""
    if start <= messaging.reaches_phone_at("waitlist_offer"):
        return None
    doctor = clinics.doctor_by_pk(doctor_id)
    for entry in _candidates(doctor_id=doctor_id, clinic_id=clinic_id, start=start, end=end):
        if not clinics.doctor_has_skill(doctor=doctor, skill=entry.service.required_skill):
            continue
        length = timedelta(minutes=entry.service.duration_minutes)
        if _overlapping(
            Appointment.objects.filter(patient=entry.patient), start, start + length
        ).exists():
            continue
        try:
            return _hold_for(entry, doctor, start, start + length)
        except SlotTaken:
            return None  # the time is gone: offering stops
    return None


@transaction.atomic
def _hold_for(entry: WaitlistEntry, doctor, start: datetime, end: datetime) -> WaitlistOffer:
    def write(chair_id):
        return Appointment.objects.create(
            clinic=entry.clinic,
            doctor=doctor,
            chair_id=chair_id,
            service=entry.service,
            patient=entry.patient,
            booked_by=entry.requested_by,
            channel=Channel.WAITLIST,
            start=start,
            end=end,
            status=Status.PENDING,
            price_fen=entry.service.price_fen,
        )

    if _clashing(Appointment.objects.filter(doctor=doctor), start, end).exists():
        raise SlotTaken()
    hold = _write_with_chair(
        write=write,
        chair_ids=_chairs_for(entry.service, clinic_id=entry.clinic_id, start=start, end=end),
    )
    _refresh_after_commit(hold)
    offer = WaitlistOffer.objects.create(
        entry=entry,
        appointment=hold,
        doctor=doctor,
        start=start,
        expires_at=min(
            messaging.reaches_phone_at("waitlist_offer")
            + timedelta(minutes=settings.YACHI_WAITLIST_HOLD_MINUTES),
            start,
        ),
    )
    WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistStatus.OFFERED)
    messaging.notify(
        recipient=entry.patient.account.owner,
        kind="waitlist_offer",
        params={
            "patient": entry.patient.display_name,
            "service": entry.service.display_name,
            "doctor": doctor.name,
            "clinic": entry.clinic.display_name,
            "time": local_time(start, entry.clinic),
            "until": local_time(offer.expires_at, entry.clinic)[-5:],
            "link": f"{settings.YACHI_PUBLIC_URL}/waitlist/",
        },
        key=f"waitlist-offer:{offer.public_id}",
        link_expires_at=offer.expires_at,
        object_type="waitlist_offer",
        object_id=offer.public_id,
    )
    return offer


def _close(offer: WaitlistOffer, status: str) -> bool:
    """Close an open offer and give its time back (which offers it to the next)."""
    if not WaitlistOffer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(status=status):
        return False
    WaitlistEntry.objects.filter(pk=offer.entry_id, status=WaitlistStatus.OFFERED).update(
        status=WaitlistStatus.WAITING
    )
    hold = Appointment.objects.select_related("clinic").get(pk=offer.appointment_id)
    if hold.status == Status.PENDING:
        _transition(
            actor=None,
            appointment=hold,
            to_status=Status.CANCELLED,
            now=timezone.now(),
            extra={"cancel_reason": _("waitlist offer not taken")},
        )
    return True


@transaction.atomic
def offer_accept(*, offer: WaitlistOffer) -> Appointment:
    taken = WaitlistOffer.objects.filter(
        pk=offer.pk, status=OfferStatus.OPEN, expires_at__gt=timezone.now()
    ).update(status=OfferStatus.ACCEPTED)
    if not taken:
        raise Conflict(
            _("This offer has run out. We will tell you if another time frees up."),
            code="offer_expired",
        )
    WaitlistEntry.objects.filter(pk=offer.entry_id).update(status=WaitlistStatus.BOOKED)
    hold = Appointment.objects.select_related("clinic").get(pk=offer.appointment_id)
    return _transition(actor=None, appointment=hold, to_status=Status.BOOKED, now=timezone.now())


@transaction.atomic
def offer_decline(*, offer: WaitlistOffer) -> None:
    _close(offer, OfferStatus.DECLINED)


def expire_offers() -> int:
    """Offers whose time ran out pass to the next person (periodic job)."""
    expired = 0
    for offer in WaitlistOffer.objects.filter(
        status=OfferStatus.OPEN, expires_at__lte=timezone.now()
    ):
        with transaction.atomic():
            expired += _close(offer, OfferStatus.EXPIRED)
    return expired
