"""Issuing, booking, refunding and expiring service vouchers (服务券).

A voucher holds no time: booking it makes an ordinary appointment through the same
path as any booking (``booking.services._book_all``: rostered time, a free chair, the
exclusion constraint), in the transaction that moves the voucher from unused to
booked. The voucher's row is locked first, so of two bookings with one voucher at the
same moment one makes the appointment and the other is told the voucher is no longer
usable (ADR 0032).
"""

import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.booking.choices import Channel, VoucherStatus
from yachi.booking.vouchers.errors import (
    VoucherExpiresFirst,
    VoucherNotForPatient,
    VoucherNotFound,
    VoucherNotRefundable,
    VoucherNotUsable,
)
from yachi.booking.vouchers.models import ServiceVoucher
from yachi.booking.vouchers.settle import expiry_message
from yachi.core.errors import InvalidInput, PermissionDenied

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L: read out at the desk
USABLE = (VoucherStatus.UNUSED,)


def _new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))


def voucher_issue(
    *,
    source: str,
    owner,
    service,
    title: str,
    paid_fen: int,
    valid_until: datetime,
    patient=None,
) -> ServiceVoucher:
    """The voucher for what ``source`` names (a paid order); once, whoever asks again."""
    existing = ServiceVoucher.objects.filter(source=source).first()
    if existing is not None:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return ServiceVoucher.objects.create(
                    code=_new_code(),
                    owner=owner,
                    patient=patient,
                    service=service,
                    clinic_id=service.clinic_id,
                    title=title[:64],
                    paid_fen=paid_fen,
                    valid_until=valid_until,
                    source=source,
                )
        except IntegrityError:
            existing = ServiceVoucher.objects.filter(source=source).first()
            if existing is not None:
                return existing
            # Another voucher drew the same code: draw again.
    raise IntegrityError("could not draw a free voucher code")


def voucher_book(
    *,
    actor,
    voucher: ServiceVoucher,
    doctor,
    start: datetime,
    patient,
    note: str = "",
    channel: str = Channel.API,
    now: datetime | None = None,
):
    """Book the voucher's service for ``patient`` with ``doctor`` at ``start``.

    The appointment is a real one (the doctor's and a chair's time, checked and held
    like any booking) with no deposit: the voucher paid for it.
    """
    from yachi.booking.services import book_prepaid

    now = now or timezone.now()
    if not actor.is_patient or voucher.owner_id != actor.pk:
        raise VoucherNotFound()
    if len(note) > 500:
        raise InvalidInput(_("The note is too long (500 characters at most)."))
    if patient.account.owner_id != actor.pk:
        raise PermissionDenied()
    if voucher.patient_id is not None and voucher.patient_id != patient.pk:
        raise VoucherNotForPatient()
    with transaction.atomic():
        # The lock: a second booking with this voucher waits here, then finds it booked.
        locked = (
            ServiceVoucher.objects.select_for_update()
            .select_related("service__clinic")
            .filter(pk=voucher.pk, status=VoucherStatus.UNUSED, valid_until__gt=now)
            .first()
        )
        if locked is None:
            raise VoucherNotUsable()
        if start >= locked.valid_until:
            raise VoucherExpiresFirst(expiry_message(locked))
        appointment = book_prepaid(
            actor=actor,
            doctor=doctor,
            service=locked.service,
            start=start,
            patient=patient,
            channel=channel,
            note=note,
            now=now,
        )
        moved = ServiceVoucher.objects.filter(pk=locked.pk, status=VoucherStatus.UNUSED).update(
            status=VoucherStatus.BOOKED, appointment=appointment, booked_at=now, updated_at=now
        )
        if not moved:
            raise VoucherNotUsable()
    voucher.refresh_from_db()
    return appointment


def voucher_withdraw(*, source: str, strict: bool = True, now=None) -> ServiceVoucher | None:
    """The money for ``source`` is going back: its unused voucher is refunded.

    ``strict`` (the buyer or the desk asks for the refund): a voucher that is booked,
    used or expired cannot be, and nothing changes. Otherwise (the refund already
    happened elsewhere) an unused voucher is closed and any other is left as it is.
    Returns the voucher, or None when ``source`` issued none.
    """
    now = now or timezone.now()
    voucher = ServiceVoucher.objects.select_for_update().filter(source=source).first()
    if voucher is None:
        return None
    if voucher.status == VoucherStatus.REFUNDED:
        return voucher
    moved = ServiceVoucher.objects.filter(pk=voucher.pk, status=VoucherStatus.UNUSED).update(
        status=VoucherStatus.REFUNDED, closed_at=now, updated_at=now
    )
    if not moved and strict:
        raise VoucherNotRefundable()
    voucher.refresh_from_db()
    return voucher


def vouchers_expire(*, now: datetime | None = None) -> int:
    """Unused vouchers past their date expire (a job). Booked ones keep their visit:
    it was booked before the voucher's date."""
    now = now or timezone.now()
    return ServiceVoucher.objects.filter(status=VoucherStatus.UNUSED, valid_until__lte=now).update(
        status=VoucherStatus.EXPIRED, closed_at=now, updated_at=now
    )
