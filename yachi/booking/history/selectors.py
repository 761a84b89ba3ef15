"""Reads of the visit history: a family's completed visits, each with the part of its
clinical note the doctor shared (patients) and its bills (payments), and where "再约"
starts a booking, and the service voucher that paid for the service. Five queries for a
whole list, whatever its length."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from yachi.booking.choices import Status
from yachi.booking.models import Appointment
from yachi.booking.vouchers.selectors import vouchers_of_appointments
from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.patients import facade as patients
from yachi.payments import facade as payments


@dataclass(frozen=True)
class Visit:
    appointment: Appointment
    notes: list  # patients.SharedNote: only what the doctor shared
    bills: list  # payments.VisitBill
    # The service voucher that paid for the visit's service, if it was booked with one.
    voucher: object | None = None

    @property
    def shared(self) -> bool:
        return bool(self.notes)


def _visits(appointments: list[Appointment]) -> list[Visit]:
    ids = [a.pk for a in appointments]
    notes = patients.shared_notes_of_appointments(ids) if ids else {}
    bills = payments.bills_of_appointments(ids) if ids else {}
    vouchers = vouchers_of_appointments(ids) if ids else {}
    return [
        Visit(a, notes.get(a.pk, []), bills.get(a.pk, []), vouchers.get(a.pk)) for a in appointments
    ]


def _completed_of(account):
    return Appointment.objects.filter(
        patient__account_id=account.pk,
        patient__removed_at__isnull=True,
        status=Status.COMPLETED,
    )


def visit_history(*, account, patient=None, limit: int = 100, before=None) -> list[Visit]:
    """The family's completed visits, latest first; one person's with ``patient``.

    ``before`` (a visit of the family, from ``visit_cursor``) pages on: the visits
    after it in this order, however many were added meanwhile."""
    queryset = _completed_of(account).select_related("clinic", "doctor", "service", "patient")
    if patient is not None:
        queryset = queryset.filter(patient=patient)
    if before is not None:
        start, pk = before
        queryset = queryset.filter(Q(start__lt=start) | Q(start=start, pk__lt=pk))
    return _visits(list(queryset.order_by("-start", "-pk")[:limit]))


def visit_cursor(*, account, visit_id) -> tuple | None:
    """Where a page of the history ends: a completed visit of the family, or None."""
    public_id = as_public_id(visit_id)
    if public_id is None:
        return None
    return _completed_of(account).filter(public_id=public_id).values_list("start", "pk").first()


def visit_of(appointment: Appointment) -> Visit:
    """One visit (fetched by the caller through ``access_appointment_by_id``)."""
    return _visits([appointment])[0]


@dataclass(frozen=True)
class Rebook:
    """Where "再约" leads: the same service with the same doctor, or with any doctor of
    the service when that doctor no longer provides it there."""

    service: object | None
    doctor: object | None
    url: str


def rebook_of(appointment: Appointment) -> Rebook:
    who = urlencode({"who": str(appointment.patient.public_id)})
    try:
        service = clinics.service_by_id(appointment.service.public_id)
    except NotFound:
        # The clinic no longer offers it: choose again at the same clinic.
        return Rebook(None, None, reverse("web:book_services", args=[appointment.clinic.public_id]))
    doctors = clinics.clinic_doctors(clinic=service.clinic, skill=service.required_skill)
    if any(d.pk == appointment.doctor_id for d in doctors):
        url = reverse("web:book_slots", args=[service.public_id, appointment.doctor.public_id])
        return Rebook(service, appointment.doctor, f"{url}?{who}")
    return Rebook(service, None, f"{reverse('web:book_doctors', args=[service.public_id])}?{who}")


def receipt_visit(appointment_id: int):
    """What a receipt says of the visit its bill was for (registered with payments)."""
    appointment = (
        Appointment.objects.filter(pk=appointment_id)
        .select_related("clinic", "doctor", "service", "patient")
        .first()
    )
    if appointment is None:
        return None
    return payments.ReceiptVisit(
        patient=appointment.patient.display_name,
        doctor=appointment.doctor.name,
        service=appointment.service.display_name,
        start=appointment.start,
        timezone=appointment.clinic.timezone,
    )
