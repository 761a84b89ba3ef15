"""Reads of service vouchers for the app, the API and other contexts."""

from datetime import date, timedelta

from yachi.booking.choices import VoucherStatus
from yachi.booking.vouchers.models import ServiceVoucher
from yachi.clinics import facade as clinics
from yachi.core.intervals import subtract


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


def service_places_free(*, service, first_day: date, last_day: date) -> int:
    """About how many visits of ``service`` its clinic can still take from ``first_day``
    to ``last_day``: the rostered time of the doctors who provide it, less what is booked,
    cut into visits of the service's length, less the vouchers for it not yet booked.

    An upper bound (chairs and other services compete for the same time), so a sale
    whose vouchers exceed it would certainly leave buyers without a place (ADR 0032).
    """
    from yachi.booking.selectors import day_plans

    doctors = clinics.clinic_doctors(clinic=service.clinic, skill=service.required_skill)
    if not doctors or last_day < first_day:
        return 0
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    plans = day_plans(clinic=service.clinic, doctor_ids=[d.pk for d in doctors], days=days)
    length = timedelta(minutes=service.duration_minutes)
    places = sum(
        (end - start) // length
        for plan in plans.values()
        for start, end in subtract(plan.working, plan.doctor_busy)
    )
    waiting = ServiceVoucher.objects.filter(service=service, status=VoucherStatus.UNUSED).count()
    return max(0, places - waiting)
