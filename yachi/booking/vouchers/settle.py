"""What an appointment's lifecycle does to the voucher it was booked with.

Called by ``booking.services`` inside the transaction that moves the appointment, so
the appointment and its voucher change together; each step is a conditional update
from the status it expects, so running it twice changes nothing (ADR 0032).
"""

from datetime import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from yachi.booking.choices import Status, VoucherStatus
from yachi.booking.vouchers.errors import VoucherExpiresFirst
from yachi.booking.vouchers.models import ServiceVoucher


def appointment_moved(*, appointment, to_status: str, now: datetime) -> None:
    """A cancelled or missed visit gives the voucher back; a completed one uses it."""
    booked = ServiceVoucher.objects.filter(
        appointment_id=appointment.pk, status=VoucherStatus.BOOKED
    )
    if to_status in (Status.CANCELLED, Status.NO_SHOW):
        booked.update(status=VoucherStatus.UNUSED, appointment=None, booked_at=None, updated_at=now)
    elif to_status == Status.COMPLETED:
        booked.update(status=VoucherStatus.USED, used_at=now, updated_at=now)


def check_new_time(*, appointment, start: datetime) -> None:
    """A visit booked with a voucher moves only to a time before the voucher expires."""
    voucher = (
        ServiceVoucher.objects.filter(appointment_id=appointment.pk).only("valid_until").first()
    )
    if voucher is not None and start >= voucher.valid_until:
        raise VoucherExpiresFirst(expiry_message(voucher))


def expiry_message(voucher) -> str:
    return _("This voucher is valid until %(date)s: choose a time before then.") % {
        "date": date_format(localtime(voucher.valid_until), "Y-m-d H:i")
    }
