"""Reads of service vouchers for the app, the API and other contexts."""

from yachi.booking.choices import VoucherStatus
from yachi.booking.vouchers.models import ServiceVoucher


def vouchers_of_owner(*, owner) -> list[ServiceVoucher]:
    """The patient's vouchers: usable ones first (soonest to expire), then the rest."""
    rows = list(
        ServiceVoucher.objects.filter(owner=owner).select_related(
            "service", "clinic", "patient", "appointment__doctor"
        )
    )
    order = {VoucherStatus.UNUSED: 0, VoucherStatus.BOOKED: 1}
    return sorted(
        rows,
        key=lambda v: (order.get(v.status, 2), v.valid_until if v.status in order else 0),
    )


def voucher_by_source(source: str) -> ServiceVoucher | None:
    return ServiceVoucher.objects.select_related("service").filter(source=source).first()


def vouchers_by_sources(sources) -> dict[str, ServiceVoucher]:
    return {v.source: v for v in ServiceVoucher.objects.filter(source__in=list(sources))}


def vouchers_of_appointments(appointment_ids) -> dict[int, ServiceVoucher]:
    """The voucher each appointment was booked with, if any (one query)."""
    return {
        v.appointment_id: v
        for v in ServiceVoucher.objects.filter(appointment_id__in=list(appointment_ids))
    }
