"""What rostering, which stands beneath booking, may know of booked visits: enough to
show a manager whom a roster change would leave without a doctor, and the booking
history a roster proposal estimates demand from."""

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yachi.booking import cache
from yachi.booking.choices import ACTIVE_STATUSES, Channel, Status
from yachi.booking.models import Appointment
from yachi.clinics.facade import Skill
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict
from yachi.messaging import facade as messaging

EMERGENCY_SKILL = Skill.EMERGENCY


@dataclass(frozen=True)
class BookedVisit:
    doctor_id: int
    doctor: str
    patient: str
    service: str
    start: datetime
    end: datetime
    id: str = ""
    clinic_id: int = 0
    chair_id: int | None = None
    skill: str = ""


@dataclass(frozen=True)
class PastVisit:
    """One appointment of the history: where, which skill, when, and whether it came
    through emergency dispatch (急诊) or is an emergency service."""

    clinic_id: int
    skill: str
    start: datetime
    end: datetime
    emergency: bool


def booked_visits(
    *, doctor_ids=None, clinic_id: int, start: datetime, end: datetime | None = None
) -> list[BookedVisit]:
    """Active appointments at the clinic from ``start`` (until ``end``), of the doctors
    named, or of every doctor when ``doctor_ids`` is None."""
    rows = Appointment.objects.filter(
        clinic_id=clinic_id, status__in=ACTIVE_STATUSES, start__gte=start
    )
    if doctor_ids is not None:
        rows = rows.filter(doctor_id__in=list(doctor_ids))
    if end is not None:
        rows = rows.filter(start__lt=end)
    rows = rows.select_related("doctor", "patient", "service").order_by("start")
    return [
        BookedVisit(
            doctor_id=row.doctor_id,
            doctor=row.doctor.name,
            patient=row.patient.display_name,
            service=row.service.display_name,
            start=row.start,
            end=row.end,
            id=str(row.public_id),
            clinic_id=row.clinic_id,
            chair_id=row.chair_id,
            skill=row.service.required_skill,
        )
        for row in rows
    ]


def past_visits(*, clinic_ids, start: datetime, end: datetime) -> list[PastVisit]:
    """The booking history rostering learns from (the demand forecast, a proposal's urgent
    share): appointments that held time between ``start`` and ``end`` (cancelled ones did
    not; a no-show did). One query, no model objects."""
    rows = (
        Appointment.objects.filter(clinic_id__in=list(clinic_ids), start__gte=start, start__lt=end)
        .exclude(status=Status.CANCELLED)
        .values_list("clinic_id", "service__required_skill", "start", "end", "channel")
        .order_by()
    )
    return [
        PastVisit(
            clinic_id, skill, low, high, channel == Channel.EMERGENCY or skill == EMERGENCY_SKILL
        )
        for clinic_id, skill, low, high, channel in rows
    ]


def bookings_hold() -> None:
    """New bookings wait until the current transaction ends: a published roster is
    checked against the visits booked when it commits. PostgreSQL takes a SHARE ROW
    EXCLUSIVE lock on the appointments: reads go on, writes queue, and so does another
    publication (the mode conflicts with itself); SQLite's transaction already holds the
    database's one write lock (``IMMEDIATE``)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Appointment._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


# --- the sick-day repair: handing visits over, asking patients to move ----------------------


class HandoverRefused(Conflict):
    code = "handover_refused"
    default_message = _(
        "A visit changed since the cover was proposed (cancelled, moved or its colleague "
        "booked meanwhile). Look at the proposal again."
    )


def visits_hand_over(*, actor, clinic_id: int, handovers: list[tuple[str, int]], reason: str):
    """Each visit (public id) to the doctor given, at the same time and chair, audited and
    told to the patient; all or nothing, inside the caller's transaction. Refused
    (``handover_refused``) when a visit is no longer active there, or the new doctor has a
    visit at that time."""
    from yachi.booking.reminders.services import _params, schedule_reminders
    from yachi.booking.services import _refresh_after_commit

    if not handovers:
        return 0
    rows = {
        str(row.public_id): row
        for row in Appointment.objects.select_for_update()
        .filter(
            clinic_id=clinic_id,
            public_id__in=[public_id for public_id, _doctor in handovers],
            status__in=ACTIVE_STATUSES,
        )
        .select_related("patient__account__owner", "service", "doctor", "clinic")
    }
    for public_id, doctor_id in handovers:
        appointment = rows.get(public_id)
        if appointment is None or appointment.doctor_id == doctor_id:
            raise HandoverRefused()
        clashing = (
            Appointment.objects.filter(
                doctor_id=doctor_id,
                status__in=ACTIVE_STATUSES,
                start__lt=appointment.end,
                end__gt=appointment.start,
            )
            .exclude(pk=appointment.pk)
            .exists()
        )
        if clashing:
            raise HandoverRefused()
        previous = appointment.doctor
        try:
            with transaction.atomic():
                moved = Appointment.objects.filter(
                    pk=appointment.pk, doctor_id=previous.pk, status=appointment.status
                ).update(doctor_id=doctor_id, updated_at=timezone.now())
        except IntegrityError as exc:
            raise HandoverRefused() from exc
        if not moved:
            raise HandoverRefused()
        appointment.refresh_from_db()
        audit_record(
            action=AuditAction.APPOINTMENT_HANDED_OVER,
            actor=actor,
            object_type="appointment",
            object_id=appointment.public_id,
            clinic=appointment.clinic,
            details={"from_doctor": previous.pk, "to_doctor": doctor_id, "reason": reason},
        )
        _refresh_after_commit(appointment)
        transaction.on_commit(
            partial(
                cache.invalidate_day,
                clinic_id=clinic_id,
                doctor_id=previous.pk,
                day=appointment.start.astimezone(ZoneInfo(appointment.clinic.timezone)).date(),
            )
        )
        messaging.notify(
            recipient=appointment.patient.account.owner,
            kind="appointment_doctor_changed",
            params={**_params(appointment), "previous": previous.name},
            key=f"appointment_doctor_changed:{appointment.public_id}:{doctor_id}",
            happens_at=appointment.start,
            object_type="appointment",
            object_id=appointment.public_id,
        )
        schedule_reminders(appointment)  # they name the doctor
    return len(handovers)


def visits_ask_to_move(*, actor, clinic_id: int, appointment_ids: list[str], reason: str):
    """The patients of these visits are asked to choose another time, with a link to
    their appointment where they rebook; audited per visit. Visits no longer active are
    skipped. Returns how many were asked."""
    from yachi.booking.reminders.services import _params

    rows = (
        Appointment.objects.filter(
            clinic_id=clinic_id, public_id__in=list(appointment_ids), status__in=ACTIVE_STATUSES
        )
        .select_related("patient__account__owner", "service", "doctor", "clinic")
        .order_by("start")
    )
    asked = 0
    for appointment in rows:
        messaging.notify(
            recipient=appointment.patient.account.owner,
            kind="appointment_please_move",
            params=_params(appointment),
            key=f"appointment_please_move:{appointment.public_id}:{appointment.start.isoformat()}",
            happens_at=appointment.start,
            object_type="appointment",
            object_id=appointment.public_id,
        )
        audit_record(
            action=AuditAction.APPOINTMENT_MOVE_ASKED,
            actor=actor,
            object_type="appointment",
            object_id=appointment.public_id,
            clinic=appointment.clinic,
            details={"doctor": appointment.doctor_id, "reason": reason},
        )
        asked += 1
    return asked
