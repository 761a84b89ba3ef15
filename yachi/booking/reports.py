"""What the managers' dashboards read of appointments (CRM, ADR 0053): plain rows in
bulk, one query each whatever the number of clinics, days or appointments."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min

from yachi.booking.choices import Status
from yachi.booking.deposits import PREFIX as DEPOSIT_PREFIX
from yachi.booking.models import Appointment
from yachi.core.models import as_public_id


@dataclass(frozen=True)
class AppointmentRow:
    pk: int
    public_id: str
    clinic_id: int
    doctor_id: int
    chair_id: int | None
    patient_id: int
    service_code: str
    status: str
    channel: str
    start: datetime
    end: datetime
    price_fen: int


_FIELDS = (
    "pk",
    "public_id",
    "clinic_id",
    "doctor_id",
    "chair_id",
    "patient_id",
    "service__code",
    "status",
    "channel",
    "start",
    "end",
    "price_fen",
)


def _row(values: tuple) -> AppointmentRow:
    pk, public_id, clinic_id, doctor_id, chair_id, patient_id, code, *rest = values
    return AppointmentRow(
        pk, str(public_id), clinic_id, doctor_id, chair_id, patient_id, code, *rest
    )


def appointments_between(
    *, clinic_ids: Iterable[int], start: datetime, end: datetime
) -> list[AppointmentRow]:
    """Every appointment starting in ``[start, end)`` at these clinics, of any status."""
    rows = Appointment.objects.filter(
        clinic_id__in=list(clinic_ids), start__gte=start, start__lt=end
    ).order_by("start", "pk")
    return [_row(values) for values in rows.values_list(*_FIELDS)]


def first_visits(
    *, clinic_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, datetime]:
    """For each patient with a completed visit in ``[start, end)`` at these clinics, the
    start of their first completed visit at any of them (before the range or in it)."""
    clinic_ids = list(clinic_ids)
    seen = Appointment.objects.filter(
        clinic_id__in=clinic_ids, status=Status.COMPLETED, start__gte=start, start__lt=end
    ).values("patient_id")
    return dict(
        Appointment.objects.filter(
            clinic_id__in=clinic_ids, status=Status.COMPLETED, patient_id__in=seen
        )
        .values("patient_id")
        .annotate(first=Min("start"))
        .order_by()
        .values_list("patient_id", "first")
    )


def appointments_of_deposits(references: Iterable[str]) -> dict[str, AppointmentRow]:
    """The appointment each deposit payment (by the intent's reference) was for."""
    wanted = {}
    for reference in references:
        if reference.startswith(DEPOSIT_PREFIX):
            public_id = as_public_id(reference.removeprefix(DEPOSIT_PREFIX))
            if public_id is not None:
                wanted[public_id] = reference
    if not wanted:
        return {}
    rows = Appointment.objects.filter(public_id__in=list(wanted)).order_by().values_list(*_FIELDS)
    found = {}
    for values in rows:
        row = _row(values)
        found[wanted[values[1]]] = row
    return found


def appointments_by_pk(pks: Iterable[int]) -> dict[int, AppointmentRow]:
    """Appointments by primary key (those a bill charges for), in one query."""
    pks = list(set(pks))
    if not pks:
        return {}
    rows = Appointment.objects.filter(pk__in=pks).order_by().values_list(*_FIELDS)
    return {values[0]: _row(values) for values in rows}
