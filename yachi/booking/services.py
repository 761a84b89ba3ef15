"""Every change to appointments: book, reschedule, cancel and the lifecycle steps.

The database forbids double booking (see the migrations); the checks here come
first only to answer with the most helpful error. Each write is one transaction;
the availability cache is refreshed and events are published after it commits.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.accounts import facade as accounts
from yachi.booking import cache, deposits, insert, memory
from yachi.booking.choices import ACTIVE_STATUSES, TRANSITIONS, Channel, Status
from yachi.booking.errors import PatientBusy, SlotTaken, SlotUnavailable, StatusChanged, TooLate
from yachi.booking.events import AppointmentBooked, AppointmentRescheduled, AppointmentStatusChanged
from yachi.booking.models import Appointment
from yachi.booking.overlap import clashing, overlapping
from yachi.booking.vouchers import settle as vouchers
from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core import idempotency
from yachi.core.errors import InvalidInput, PermissionDenied
from yachi.core.events import publish
from yachi.patients import facade as patients_facade

PATIENT_HORIZON_DAYS = 14
STAFF_HORIZON_DAYS = 180
DOCTOR_CONSTRAINT = "appointment_doctor_no_overlap"
CHAIR_CONSTRAINT = "appointment_chair_no_overlap"
DEADLOCK = "40P01"  # PostgreSQL's SQLSTATE for deadlock_detected
DEADLOCK_RETRIES = 5


@dataclass(frozen=True)
class Booked:
    appointments: list[Appointment]
    replayed: bool = False


def _zone(clinic) -> ZoneInfo:
    return ZoneInfo(clinic.timezone)


def booking_horizon(actor) -> timedelta:
    """How far ahead ``actor`` may book: a fortnight for patients, half a year for staff."""
    return timedelta(days=PATIENT_HORIZON_DAYS if actor.is_patient else STAFF_HORIZON_DAYS)


def _check_time(
    *, actor, service, doctor, start: datetime, length: timedelta, now: datetime, versions
):
    """The requested time is one the clinic offers: rostered, on the grid, in range.

    ``versions`` are ``memory.versions`` for the doctor and the service's clinic."""
    clinic = service.clinic
    if not (service.is_active and clinic.is_active and doctor.is_active):
        raise SlotUnavailable(_("This service or doctor is not taking bookings."))
    works_here, skilled = clinics.doctor_fit(doctor=doctor, service=service)
    if not works_here:
        raise SlotUnavailable(_("This doctor does not work at this clinic."))
    if not skilled:
        raise SlotUnavailable(_("This doctor does not provide this service."))
    if start.tzinfo is None:
        raise InvalidInput(_("Give the time with its UTC offset, e.g. +08:00."))
    local = start.astimezone(_zone(clinic))
    if (
        (local.hour * 60 + local.minute) % clinic.slot_step_minutes
        or local.second
        or local.microsecond
    ):
        raise SlotUnavailable()
    if actor.is_patient:
        earliest = now + timedelta(minutes=clinic.booking_lead_minutes)
    else:
        earliest = now - timedelta(minutes=clinic.slot_step_minutes)
    if start < earliest:
        raise SlotUnavailable(_("This time has already passed or is too soon to book."))
    if start > now + booking_horizon(actor):
        raise SlotUnavailable(_("This time is too far ahead to book yet."))
    working = memory.working_time(
        doctor_id=doctor.pk,
        clinic_id=clinic.pk,
        zone=_zone(clinic),
        day=local.date(),
        versions=versions,
        for_patients=actor.is_patient,
    )
    if not any(low <= start and start + length <= high for low, high in working):
        raise SlotUnavailable(_("The doctor is not working at this time."))


def _overlapping(queryset, start: datetime, end: datetime):
    return overlapping(queryset.filter(status__in=ACTIVE_STATUSES), start, end)


def _clashing(queryset, start: datetime, end: datetime):
    """A doctor's or chairs' active appointments in the window, read the way the
    exclusion constraints read them (their indexes serve it on PostgreSQL)."""
    return clashing(queryset.filter(status__in=ACTIVE_STATUSES), start, end)


def _free_chairs(*, clinic_id: int, start: datetime, end: datetime, prefer=None, exclude_pk=None):
    chair_ids = clinics.active_chair_ids(clinic_id=clinic_id)
    busy_qs = _clashing(Appointment.objects.filter(chair_id__in=chair_ids), start, end)
    if exclude_pk:
        busy_qs = busy_qs.exclude(pk=exclude_pk)
    busy = set(busy_qs.order_by().values_list("chair_id", flat=True))
    free = [chair_id for chair_id in chair_ids if chair_id not in busy]
    if prefer in free:
        free.remove(prefer)
        free.insert(0, prefer)
    return free


def _chairs_for(service, *, clinic_id: int, start: datetime, end: datetime, **kwargs) -> list:
    """The chairs a write of ``service``'s appointment may try, in order: the free ones,
    or for a service that takes no chair (a video consultation) just "no chair"."""
    if not service.needs_chair:
        return [None]
    return _free_chairs(clinic_id=clinic_id, start=start, end=end, **kwargs)


def _violated(exc: IntegrityError) -> str | None:
    text = str(exc)
    for name in (DOCTOR_CONSTRAINT, CHAIR_CONSTRAINT):
        if name in text:
            return name
    return None


def _is_deadlock(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == DEADLOCK


def _write_with_chair(*, write, chair_ids: list[int]):
    """Run ``write(chair_id)`` with the first chair the database accepts.

    A doctor clash means the slot is gone; a chair clash means another booking took
    that chair in the meantime, so the next free one is tried. Two bookings that each
    wait on the other's row (one for the doctor, one for the chair) are a deadlock on
    PostgreSQL: the one picked as victim rolls back to its savepoint, which lets the
    other finish, and tries again, now seeing what the other wrote.
    """
    # Outside a transaction the INSERT is one of its own, and a refused one leaves
    # nothing to roll back to: no savepoint around it.
    alone = not transaction.get_connection().in_atomic_block
    for chair_id in chair_ids:
        for _attempt in range(DEADLOCK_RETRIES):
            written = _tried(partial(write, chair_id), alone=alone)
            if written is CHAIR_TAKEN:
                break
            if written is not DEADLOCK_VICTIM:
                return written
    raise _no_chair()


# What stopped a write that may be tried again (``_tried``).
DEADLOCK_VICTIM = object()
CHAIR_TAKEN = object()


def _tried(write, *, alone: bool):
    """``write()``'s result, as a statement of its own or in a savepoint; DEADLOCK_VICTIM or
    CHAIR_TAKEN when the database refused it for one of those (the caller tries again);
    SlotTaken when the doctor's time is gone; any other refusal raised as it came."""
    try:
        if alone:
            return write()
        with transaction.atomic():
            return write()
    except OperationalError as exc:
        if not _is_deadlock(exc):
            raise
        return DEADLOCK_VICTIM
    except IntegrityError as exc:
        violated = _violated(exc)
        if violated == DOCTOR_CONSTRAINT:
            raise SlotTaken() from exc
        if violated != CHAIR_CONSTRAINT:
            raise
        return CHAIR_TAKEN


def _no_chair() -> SlotTaken:
    return SlotTaken(_("Sorry, no dental chair is free at this time. Please choose another one."))


def _refresh_after_commit(appointment: Appointment, *extra_starts: datetime) -> None:
    _refresh_all_after_commit([appointment], *extra_starts)


def _refresh_all_after_commit(appointments: list[Appointment], *extra_starts: datetime) -> None:
    """The availability of the appointments' days (and of ``extra_starts``' days, at the
    first one's clinic and doctor) refreshed after the commit, in one cache call."""
    first = appointments[0]
    zone = _zone(first.clinic)
    days = {(a.clinic_id, a.doctor_id, a.start.astimezone(zone).date()) for a in appointments}
    days.update((first.clinic_id, first.doctor_id, m.astimezone(zone).date()) for m in extra_starts)

    transaction.on_commit(lambda: cache.invalidate_days(sorted(days)))


def _in_the_way(rows, *, doctor, patient) -> set[int]:
    """The chairs taken, from the ``(doctor_id, patient_id, chair_id)`` of the active
    appointments in the window; refused first when the doctor, then the patient, is taken."""
    busy = set()
    patient_busy = False
    for doctor_id, patient_id, chair_id in rows:
        if doctor_id == doctor.pk:
            raise SlotTaken()
        patient_busy = patient_busy or patient_id == patient.pk
        busy.add(chair_id)
    if patient_busy:
        raise PatientBusy(
            _("%(name)s already has an appointment at that time.") % {"name": patient.display_name}
        )
    return busy


def _insert_in_a_free_chair(appointment: Appointment, chair_ids: list[int] | None) -> None:
    """PostgreSQL: the one statement of ``booking.insert``, again when a booking that
    committed meanwhile took the chair (it then sees that booking) or when it was a
    deadlock's victim; alone it is a transaction of its own, in a caller's transaction
    a savepoint lets it try again. ``chair_ids=None``: the appointment takes no chair."""
    alone = not transaction.get_connection().in_atomic_block
    for _attempt in range(len(chair_ids or ()) + DEADLOCK_RETRIES):
        rows = _tried(partial(insert.insert, appointment, chair_ids), alone=alone)
        if rows is DEADLOCK_VICTIM or rows is CHAIR_TAKEN:
            continue
        if appointment.pk is not None:
            return
        _in_the_way(
            [(doctor_id, patient_id, chair_id) for _id, chair_id, doctor_id, patient_id in rows],
            doctor=appointment.doctor,
            patient=appointment.patient,
        )
        raise _no_chair()
    raise _no_chair()


def _insert_after_reading(appointment: Appointment, chair_ids: list[int] | None) -> None:
    """SQLite, inside the booking's IMMEDIATE transaction: one read of what stands in
    the way (the doctor's, the patient's and the chairs' active appointments in the
    window), then the INSERT in the first free chair; the triggers stay the guard.
    ``chair_ids=None``: the appointment takes no chair, only its doctor and patient
    can stand in the way."""
    in_the_way = Q(doctor_id=appointment.doctor_id) | Q(patient_id=appointment.patient_id)
    if chair_ids is not None:
        in_the_way |= Q(chair_id__in=chair_ids)
    rows = (
        _clashing(
            Appointment.objects.filter(in_the_way),
            appointment.start,
            appointment.end,
        )
        .values_list("doctor_id", "patient_id", "chair_id")
        .order_by()
    )
    busy = _in_the_way(rows, doctor=appointment.doctor, patient=appointment.patient)

    def write(chair_id):
        appointment.chair_id = chair_id
        appointment.save(force_insert=True)

    if chair_ids is None:
        _write_with_chair(write=write, chair_ids=[None])
    else:
        _write_with_chair(write=write, chair_ids=[c for c in chair_ids if c not in busy])


def _book_all(
    *, actor, doctor, service, start, patients, channel, note, now, prepaid: bool = False
) -> list[Appointment]:
    duration = timedelta(minutes=service.duration_minutes)
    versions = memory.versions(doctor_id=doctor.pk, clinic_id=service.clinic_id)
    _check_time(
        actor=actor,
        service=service,
        doctor=doctor,
        start=start,
        length=duration * len(patients),
        now=now,
        versions=versions,
    )
    # In UTC, as the database hands moments back: the new rows are the answer.
    start = start.astimezone(UTC)
    # A video consultation takes no chair: neither read nor held (ADR 0045).
    chairs = (
        {
            chair.pk: chair
            for chair in memory.active_chairs(clinic_id=service.clinic_id, versions=versions)
        }
        if service.needs_chair
        else None
    )
    write = (
        _insert_in_a_free_chair
        if transaction.get_connection().vendor == "postgresql"
        else _insert_after_reading
    )
    booked = []
    for index, patient in enumerate(patients):
        part_start = start + duration * index
        # Each person's own: the service's deposit, or one the clinic's no-show policy
        # asks for this person's risk (ADR 0051).
        deposit_fen = deposits.deposit_amount(
            actor=actor,
            service=service,
            patient=patient,
            start=part_start,
            channel=channel,
            now=now,
            prepaid=prepaid,
        )
        # Built with what the booking read already: it is the answer, not read again.
        appointment = Appointment(
            clinic=service.clinic,
            doctor=doctor,
            service=service,
            patient=patient,
            booked_by=actor,
            channel=channel,
            start=part_start,
            end=part_start + duration,
            status=Status.PENDING if deposit_fen else Status.BOOKED,
            price_fen=service.price_fen,
            deposit_fen=deposit_fen,
            note=note,
        )
        write(appointment, None if chairs is None else list(chairs))
        appointment.chair = None if chairs is None else chairs[appointment.chair_id]
        if deposit_fen:
            deposits.deposit_request(appointment=appointment)
        booked.append(appointment)
    _refresh_all_after_commit(booked)
    party = tuple(a.pk for a in booked)
    for appointment in booked:
        publish(
            AppointmentBooked(
                appointment_id=appointment.pk,
                clinic_id=appointment.clinic_id,
                doctor_id=doctor.pk,
                patient_id=appointment.patient_id,
                start=appointment.start,
                party=party,
            )
        )
    return booked


def _one_statement(*, actor, service, patients) -> bool:
    """Whether this booking's only write is its one statement, which then needs no
    transaction around it.

    On PostgreSQL (READ COMMITTED) the statement reads what stands in the way and
    inserts in one step, and the exclusion constraints decide the INSERT: BEGIN, a
    savepoint and COMMIT would be round trips that change nothing. SQLite keeps the
    transaction, whose IMMEDIATE lock makes its read and the write one step; several
    people (all or nothing) and a deposit (written with the appointment) keep it too.
    """
    connection = transaction.get_connection()
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and len(patients) == 1
        and not deposits.deposit_due(actor=actor, service=service)
    )


def appointments_book(
    *,
    actor,
    doctor,
    service,
    start: datetime,
    patients: list,
    channel: str = Channel.API,
    note: str = "",
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Booked:
    """Book one or more people back to back with one doctor, all or nothing.

    With several patients (a parent and a child) the first starts at ``start`` and
    each next one when the previous ends, every one in a free chair.
    """
    now = now or timezone.now()
    if not patients:
        raise InvalidInput(_("Choose who the appointment is for."))
    if len({p.pk for p in patients}) != len(patients):
        raise InvalidInput(_("Each person can be booked only once in one booking."))
    if len(note) > 500:
        raise InvalidInput(_("The note is too long (500 characters at most)."))

    booked = []

    def book() -> list[str]:
        booked[:] = _book_all(
            actor=actor,
            doctor=doctor,
            service=service,
            start=start,
            patients=patients,
            channel=channel,
            note=note,
            now=now,
        )
        return [str(a.public_id) for a in booked]

    if idempotency_key is None:
        if _one_statement(actor=actor, service=service, patients=patients):
            book()
        else:
            with transaction.atomic():
                book()
        # The new rows carry what the answer shows: nothing to read again.
        return Booked(appointments=booked)
    else:
        payload = {
            "doctor": str(doctor.public_id),
            "service": str(service.public_id),
            "start": start.isoformat(),
            "patients": [str(p.public_id) for p in patients],
        }
        ids, replayed = idempotency.run_once(
            user=actor,
            scope="appointments_book",
            key=idempotency_key,
            payload=payload,
            action=book,
        )
    found = {
        str(a.public_id): a
        for a in Appointment.objects.filter(public_id__in=ids).select_related(
            "clinic", "doctor", "chair", "service", "patient"
        )
    }
    return Booked(appointments=[found[i] for i in ids], replayed=replayed)


def book_prepaid(*, actor, doctor, service, start, patient, channel, note, now) -> Appointment:
    """One appointment already paid for (a service voucher's), inside the caller's
    transaction, by the same checks and constraints as any booking."""
    (appointment,) = _book_all(
        actor=actor,
        doctor=doctor,
        service=service,
        start=start,
        patients=[patient],
        channel=channel,
        note=note,
        now=now,
        prepaid=True,
    )
    return appointment


def _check_patient_deadline(*, actor, appointment: Appointment, now: datetime, action: str):
    if not actor.is_patient:
        return
    cutoff = appointment.clinic.cancel_cutoff_hours
    if appointment.start - timedelta(hours=cutoff) < now:
        clinic = appointment.clinic
        raise TooLate(
            _(
                "Appointments can only be %(action)s online up to %(hours)s hours before "
                "they start. Please call the clinic: %(phone)s."
            )
            % {"action": action, "hours": cutoff, "phone": clinic.phone or clinic.display_name}
        )


@transaction.atomic
def appointment_cancel(
    *, actor, appointment: Appointment, reason: str = "", now=None
) -> Appointment:
    now = now or timezone.now()
    allowed = (
        (Status.PENDING, Status.BOOKED)
        if actor.is_patient
        else (Status.PENDING, Status.BOOKED, Status.ARRIVED)
    )
    if appointment.status not in allowed:
        raise StatusChanged(_("This appointment can no longer be cancelled."))
    _check_patient_deadline(actor=actor, appointment=appointment, now=now, action=_("cancelled"))
    if len(reason) > 200:
        raise InvalidInput(_("The reason is too long (200 characters at most)."))
    return _transition(
        actor=actor,
        appointment=appointment,
        to_status=Status.CANCELLED,
        now=now,
        extra={"cancelled_by": actor, "cancel_reason": reason},
    )


@transaction.atomic
def appointment_reschedule(
    *, actor, appointment: Appointment, start: datetime, doctor=None, now=None
) -> Appointment:
    """Move an appointment to another time, with the same doctor or, given ``doctor``,
    another one at the clinic who provides the service."""
    now = now or timezone.now()
    if appointment.status not in (Status.PENDING, Status.BOOKED):
        raise StatusChanged(_("This appointment can no longer be rescheduled."))
    _check_patient_deadline(actor=actor, appointment=appointment, now=now, action=_("rescheduled"))
    clinic = appointment.clinic
    if actor.is_patient and appointment.reschedule_count >= clinic.max_reschedules:
        raise TooLate(
            _("This appointment has already been rescheduled %(count)s times, the most allowed.")
            % {"count": clinic.max_reschedules},
            code="reschedule_limit",
        )
    previous_doctor_id = appointment.doctor_id
    doctor = doctor or appointment.doctor
    if start == appointment.start and doctor.pk == previous_doctor_id:
        return appointment
    service = appointment.service
    length = timedelta(minutes=service.duration_minutes)
    _check_time(
        actor=actor,
        service=service,
        doctor=doctor,
        start=start,
        length=length,
        now=now,
        versions=memory.versions(doctor_id=doctor.pk, clinic_id=service.clinic_id),
    )
    vouchers.check_new_time(appointment=appointment, start=start)
    end = start + length
    others = Appointment.objects.exclude(pk=appointment.pk)
    if _clashing(others.filter(doctor=doctor), start, end).exists():
        raise SlotTaken()
    if _overlapping(others.filter(patient_id=appointment.patient_id), start, end).exists():
        raise PatientBusy()
    previous_start = appointment.start

    def write(chair_id):
        moved = Appointment.objects.filter(
            pk=appointment.pk,
            status=appointment.status,
            reschedule_count=appointment.reschedule_count,
        ).update(
            start=start,
            end=end,
            doctor_id=doctor.pk,
            chair_id=chair_id,
            reschedule_count=F("reschedule_count") + 1,
            updated_at=now,
        )
        if not moved:
            raise StatusChanged()
        return chair_id

    chairs = _chairs_for(
        service,
        clinic_id=clinic.pk,
        start=start,
        end=end,
        prefer=appointment.chair_id,
        exclude_pk=appointment.pk,
    )
    _write_with_chair(write=write, chair_ids=chairs)
    appointment.refresh_from_db()
    _refresh_after_commit(appointment, previous_start)
    if previous_doctor_id != doctor.pk:
        day = previous_start.astimezone(_zone(clinic)).date()
        transaction.on_commit(
            lambda: cache.invalidate_day(clinic_id=clinic.pk, doctor_id=previous_doctor_id, day=day)
        )
    publish(
        AppointmentRescheduled(
            appointment_id=appointment.pk,
            doctor_id=appointment.doctor_id,
            previous_start=previous_start,
            start=start,
            previous_doctor_id=previous_doctor_id,
        )
    )
    return appointment


_TIMESTAMP = {
    Status.BOOKED: None,
    Status.ARRIVED: "arrived_at",
    Status.IN_TREATMENT: "treatment_started_at",
    Status.COMPLETED: "completed_at",
    Status.CANCELLED: "cancelled_at",
    Status.NO_SHOW: "no_show_at",
}


def _transition(
    *, actor, appointment, to_status: str, now: datetime, extra=None, allowed=None
) -> Appointment:
    previous = appointment.status
    if to_status not in (allowed if allowed is not None else TRANSITIONS)[previous]:
        raise StatusChanged(
            _("An appointment that is %(current)s cannot become %(next)s.")
            % {"current": Status(previous).label, "next": Status(to_status).label}
        )
    changes = {"status": to_status, "updated_at": now, **(extra or {})}
    if _TIMESTAMP[to_status]:
        changes[_TIMESTAMP[to_status]] = now
    # Conditional on the status we saw: two desks pressing buttons at once cannot
    # both move the same appointment.
    if not Appointment.objects.filter(pk=appointment.pk, status=previous).update(**changes):
        raise StatusChanged()
    vouchers.appointment_moved(appointment=appointment, to_status=to_status, now=now)
    appointment.refresh_from_db()
    if actor is not None and actor.is_clinic_staff:
        # Who moved which appointment from what to what; never the reason, which is
        # the patient's words and stays encrypted on the appointment.
        audit_record(
            action=AuditAction.APPOINTMENT_STATUS_CHANGED,
            actor=actor,
            object_type="appointment",
            object_id=appointment.public_id,
            clinic=appointment.clinic,
            details={"from": previous, "to": to_status},
        )
    if to_status not in ACTIVE_STATUSES:
        _refresh_after_commit(appointment)
    publish(
        AppointmentStatusChanged(
            appointment_id=appointment.pk,
            doctor_id=appointment.doctor_id,
            previous_status=previous,
            status=to_status,
            actor_id=actor.pk if actor is not None else None,
        )
    )
    return appointment


@transaction.atomic
def appointment_advance(
    *, actor, appointment: Appointment, to_status: str, now=None
) -> Appointment:
    """A staff step in the lifecycle: arrived, in treatment, completed or no-show."""
    now = now or timezone.now()
    if not actor.is_clinic_staff:
        raise PermissionDenied()
    if to_status not in (Status.ARRIVED, Status.IN_TREATMENT, Status.COMPLETED, Status.NO_SHOW):
        raise InvalidInput(_("Unknown step."))
    zone = _zone(appointment.clinic)
    if to_status == Status.NO_SHOW and now < appointment.start:
        raise StatusChanged(_("A patient can only be marked as a no-show after the start time."))
    if (
        to_status == Status.ARRIVED
        and now.astimezone(zone).date() != appointment.start.astimezone(zone).date()
    ):
        raise StatusChanged(_("Patients can only check in on the day of their appointment."))
    return _transition(actor=actor, appointment=appointment, to_status=to_status, now=now)


# The steps the queue moves an appointment through (queueing, ADR 0043): a patient who
# checked in and was called three times without coming is a no-show too.
QUEUE_STEPS = {
    **TRANSITIONS,
    Status.ARRIVED: TRANSITIONS[Status.ARRIVED] | {Status.NO_SHOW},
}


def appointment_queue_step(
    *, actor, appointment: Appointment, to_status: str, now=None
) -> Appointment:
    """The queue's step of an appointment: arrived at check-in (by the patient from
    their phone, or the front desk), in treatment, completed, or a no-show after three
    calls. Arriving twice changes nothing; staff steps are audited by ``_transition``."""
    now = now or timezone.now()
    if to_status not in (Status.ARRIVED, Status.IN_TREATMENT, Status.COMPLETED, Status.NO_SHOW):
        raise InvalidInput(_("Unknown step."))
    if appointment.status == to_status:
        return appointment
    if to_status == Status.ARRIVED and actor.is_patient:
        if appointment.patient.account.owner_id != actor.pk:
            raise PermissionDenied()
    elif not actor.is_clinic_staff:
        raise PermissionDenied()
    return _transition(
        actor=actor, appointment=appointment, to_status=to_status, now=now, allowed=QUEUE_STEPS
    )


@transaction.atomic
def appointments_cancel_upcoming(*, patient_ids: list[int], reason: str, now=None) -> int:
    """Cancel every future booking of these people (account erasure)."""
    now = now or timezone.now()
    upcoming = list(
        Appointment.objects.filter(
            patient_id__in=patient_ids, start__gt=now, status__in=(Status.PENDING, Status.BOOKED)
        ).select_related("clinic")
    )
    for appointment in upcoming:
        _transition(
            actor=None,
            appointment=appointment,
            to_status=Status.CANCELLED,
            now=now,
            extra={"cancel_reason": reason[:200]},
        )
    return len(upcoming)


def appointment_confirm(*, appointment: Appointment, now=None) -> Appointment:
    """The patient says they will come (from a reminder). Confirming twice is fine."""
    if appointment.status not in (Status.PENDING, Status.BOOKED):
        raise StatusChanged(_("This appointment can no longer be confirmed."))
    Appointment.objects.filter(pk=appointment.pk, confirmed_at__isnull=True).update(
        confirmed_at=now or timezone.now()
    )
    appointment.refresh_from_db()
    return appointment


def appointment_book_at_desk(
    *,
    actor,
    doctor,
    service,
    start: datetime,
    phone: str,
    name: str = "",
    patient_id: str | None = None,
    note: str = "",
    walk_in: bool = False,
) -> Appointment:
    """Book at the front desk for a caller or a walk-in, found by mobile number.

    A new number is registered as a patient on the spot. ``patient_id`` picks someone on
    that family account (the holder otherwise); a walk-in is checked in at once.
    """
    with transaction.atomic():
        user = accounts.patient_user_ensure(phone=phone, name=name)
        everyone = patients_facade.everyone_on(patients_facade.account_open(user=user))
        patient = next((p for p in everyone if str(p.public_id) == patient_id), everyone[0])
        booked = appointments_book(
            actor=actor,
            doctor=doctor,
            service=service,
            start=start,
            patients=[patient],
            channel=Channel.WALK_IN if walk_in else Channel.CONSOLE,
            note=note[:500],
        )
        appointment = booked.appointments[0]
        if walk_in:
            appointment = appointment_advance(
                actor=actor, appointment=appointment, to_status=Status.ARRIVED
            )
    return appointment
