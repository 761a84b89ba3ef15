"""Emergency dispatch (急诊插队).

A patient in acute pain asks for help from where they are. The three nearest doctors
with the emergency skill who are on duty in the coming hours are told; the first to
accept gets the case — exactly one, whatever the timing — and the others hear it is
taken. If nobody accepts within the escalation time the next three are told; if there
is nobody left, the patient is told so with the nearest clinic's phone. The accepted
case gets an emergency appointment at the earliest time the patient can be seen;
appointments it displaces move later (or, with no room left that day, are cancelled),
are flagged for the front desk, and their patients are told.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from math import ceil
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.booking.choices import Channel, EmergencyStatus, Status
from yachi.booking.emergency.access import emergency_for_doctor
from yachi.booking.emergency.models import EmergencyCase, EmergencyDispatch
from yachi.booking.errors import SlotTaken
from yachi.booking.events import AppointmentRescheduled
from yachi.booking.models import Appointment
from yachi.booking.reminders.services import link_url, local_time
from yachi.booking.services import (
    _clashing,
    _free_chairs,
    _overlapping,
    _refresh_after_commit,
    _transition,
    _write_with_chair,
)
from yachi.clinics import facade as clinics
from yachi.core.errors import Conflict, InvalidInput
from yachi.core.events import publish
from yachi.core.geo import distance_km
from yachi.messaging import facade as messaging
from yachi.rostering import facade as rostering

PER_ROUND = 3
EMERGENCY_MINUTES = 30


class AlreadyTaken(Conflict):
    code = "already_taken"


@dataclass(frozen=True)
class Candidate:
    doctor: object
    clinic: object
    distance: float


def _on_duty(doctor, clinic, *, now: datetime, hours: int) -> list[tuple[datetime, datetime]]:
    zone = ZoneInfo(clinic.timezone)
    today = now.astimezone(zone).date()
    last = (now + timedelta(hours=hours)).astimezone(zone).date()
    intervals = rostering.working_intervals(
        doctor_ids=[doctor.pk],
        clinic_id=clinic.pk,
        zone=zone,
        first_day=today,
        last_day=last,
        on_call=True,
    )
    spans = [span for (_doctor, _day), day_spans in sorted(intervals.items()) for span in day_spans]
    horizon = now + timedelta(hours=hours)
    return [(max(s, now), min(e, horizon)) for s, e in spans if e > now and s < horizon]


def candidates(
    *, latitude: float, longitude: float, now: datetime, exclude: set[int]
) -> list[Candidate]:
    """Emergency doctors on duty soon, nearest first, each at their nearest such clinic."""
    best: dict[int, Candidate] = {}
    for doctor in clinics.emergency_doctors():
        if doctor.pk in exclude:
            continue
        for clinic in doctor.clinics.all():
            if not clinic.is_active or not _on_duty(
                doctor, clinic, now=now, hours=settings.YACHI_EMERGENCY_HORIZON_HOURS
            ):
                continue
            km = distance_km(latitude, longitude, float(clinic.latitude), float(clinic.longitude))
            if doctor.pk not in best or km < best[doctor.pk].distance:
                best[doctor.pk] = Candidate(doctor, clinic, km)
    return sorted(best.values(), key=lambda c: (c.distance, c.doctor.pk))


def _nearest_clinic(latitude: float, longitude: float):
    return min(
        clinics.active_clinics(),
        key=lambda c: distance_km(latitude, longitude, float(c.latitude), float(c.longitude)),
        default=None,
    )


def emergency_request(
    *,
    actor,
    patient,
    pain_level: int,
    symptoms: str,
    latitude: float,
    longitude: float,
    now: datetime | None = None,
) -> EmergencyCase:
    now = now or timezone.now()
    if not 1 <= int(pain_level) <= 10:
        raise InvalidInput(_("Give the pain from 1 to 10."), code="invalid_pain_level")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidInput(_("The location is not on the earth."), code="invalid_location")
    if len(symptoms or "") > 500:
        raise InvalidInput(_("Describe the symptoms in 500 characters at most."))
    if EmergencyCase.objects.filter(patient=patient, status=EmergencyStatus.SEARCHING).exists():
        raise Conflict(
            _("We are already looking for a doctor for this person."), code="emergency_open"
        )
    with transaction.atomic():
        case = EmergencyCase.objects.create(
            patient=patient,
            requested_by=actor,
            pain_level=pain_level,
            symptoms=(symptoms or "").strip(),
            latitude=Decimal(str(latitude)).quantize(Decimal("0.000001")),
            longitude=Decimal(str(longitude)).quantize(Decimal("0.000001")),
            nearest_clinic=_nearest_clinic(latitude, longitude),
        )
        _next_round(case, now=now)
    case.refresh_from_db()
    return case


def _next_round(case: EmergencyCase, *, now: datetime) -> list[EmergencyDispatch]:
    notified = set(case.dispatches.values_list("doctor_id", flat=True))
    chosen = candidates(
        latitude=float(case.latitude), longitude=float(case.longitude), now=now, exclude=notified
    )[:PER_ROUND]
    if not chosen:
        _give_up(case)
        return []
    round_number = case.round + 1
    dispatches = [
        EmergencyDispatch.objects.create(
            case=case,
            doctor=c.doctor,
            clinic=c.clinic,
            round=round_number,
            distance_km=Decimal(str(round(c.distance, 2))),
            notified_at=now,
        )
        for c in chosen
    ]
    EmergencyCase.objects.filter(pk=case.pk).update(round=round_number, round_started_at=now)
    for dispatch in dispatches:
        messaging.notify(
            recipient=dispatch.doctor.user,
            kind="emergency_request",
            params={
                "pain": case.pain_level,
                "distance": dispatch.distance_km,
                "clinic": dispatch.clinic.display_name,
                "symptoms": case.symptoms[:60],
                "link": f"{settings.YACHI_PUBLIC_URL}/console/emergencies/",
            },
            key=f"emergency:{case.public_id}:{dispatch.doctor.public_id}",
            object_type="emergency",
            object_id=case.public_id,
        )
    return dispatches


def _give_up(case: EmergencyCase) -> None:
    if not EmergencyCase.objects.filter(pk=case.pk, status=EmergencyStatus.SEARCHING).update(
        status=EmergencyStatus.UNAVAILABLE
    ):
        return
    clinic = case.nearest_clinic
    messaging.notify(
        recipient=case.patient.account.owner,
        kind="emergency_unavailable",
        params={
            "clinic": clinic.display_name if clinic else "",
            "phone": clinic.phone if clinic else "",
        },
        key=f"emergency-unavailable:{case.public_id}",
        object_type="emergency",
        object_id=case.public_id,
    )


def escalate(*, now: datetime | None = None) -> int:
    """Cases nobody took in time go to the next three (periodic job)."""
    now = now or timezone.now()
    overdue = now - timedelta(minutes=settings.YACHI_EMERGENCY_ESCALATE_MINUTES)
    moved = 0
    for case in EmergencyCase.objects.filter(
        status=EmergencyStatus.SEARCHING, round_started_at__lte=overdue
    ):
        with transaction.atomic():
            locked = EmergencyCase.objects.select_for_update().get(pk=case.pk)
            if locked.status == EmergencyStatus.SEARCHING and locked.round_started_at <= overdue:
                _next_round(locked, now=now)
                moved += 1
    return moved


def emergency_accept(*, actor, case_id, now: datetime | None = None) -> EmergencyCase:
    now = now or timezone.now()
    case, dispatch = emergency_for_doctor(actor=actor, case_id=case_id)
    with transaction.atomic():
        # The one conditional update that decides between doctors accepting at once.
        won = EmergencyCase.objects.filter(pk=case.pk, status=EmergencyStatus.SEARCHING).update(
            status=EmergencyStatus.ACCEPTED,
            accepted_doctor=dispatch.doctor,
            accepted_clinic=dispatch.clinic,
            accepted_at=now,
        )
        if not won:
            raise AlreadyTaken(_("Another doctor has already taken this emergency."))
        case.refresh_from_db()
        appointment = _insert(case, dispatch, now=now)
        eta = int((appointment.start - now).total_seconds() // 60)
        EmergencyCase.objects.filter(pk=case.pk).update(appointment=appointment, eta_minutes=eta)
    case.refresh_from_db()
    _tell_everyone(case, dispatch, appointment)
    return case


def _travel_minutes(distance: Decimal) -> int:
    return ceil(float(distance) / settings.YACHI_EMERGENCY_SPEED_KMH * 60) + 10


def _emergency_service(clinic):
    service = clinics.emergency_service(clinic=clinic)
    if service is None:
        raise Conflict(
            _("This clinic has no emergency service set up."), code="no_emergency_service"
        )
    return service


def _insert(case: EmergencyCase, dispatch: EmergencyDispatch, *, now: datetime) -> Appointment:
    """The emergency appointment at the earliest time with a chair, displacing the
    doctor's own appointments there."""
    clinic, doctor = dispatch.clinic, dispatch.doctor
    service = _emergency_service(clinic)
    length = timedelta(minutes=service.duration_minutes)
    step = timedelta(minutes=clinic.slot_step_minutes)
    arrival = now + timedelta(minutes=_travel_minutes(dispatch.distance_km))
    for low, high in _on_duty(
        doctor, clinic, now=now, hours=settings.YACHI_EMERGENCY_HORIZON_HOURS + 6
    ):
        start = _align(max(low, arrival), step, clinic)
        while start + length <= high:
            end = start + length
            chairs = _chairs_ignoring_doctor(clinic, doctor, start, end)
            if chairs:
                _displace(doctor=doctor, start=start, end=end, now=now)
                return _write_with_chair(
                    write=lambda chair_id, s=start, e=end: Appointment.objects.create(
                        clinic=clinic,
                        doctor=doctor,
                        chair_id=chair_id,
                        service=service,
                        patient=case.patient,
                        booked_by=case.requested_by,
                        channel=Channel.EMERGENCY,
                        start=s,
                        end=e,
                        status=Status.BOOKED,
                        price_fen=service.price_fen,
                        note=case.symptoms[:500],
                    ),
                    chair_ids=_free_chairs(clinic_id=clinic.pk, start=start, end=end),
                )
            start += step
    raise SlotTaken(_("No chair is free for an emergency in the coming hours."))


def _align(moment: datetime, step: timedelta, clinic) -> datetime:
    local = moment.astimezone(ZoneInfo(clinic.timezone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    remainder = (local - midnight) % step
    return local if not remainder else local + (step - remainder)


def _chairs_ignoring_doctor(clinic, doctor, start, end) -> list[int]:
    chair_ids = clinics.active_chair_ids(clinic_id=clinic.pk)
    busy = set(
        _clashing(Appointment.objects.filter(chair_id__in=chair_ids), start, end)
        .exclude(doctor=doctor)
        .values_list("chair_id", flat=True)
    )
    return [c for c in chair_ids if c not in busy]


def _displace(*, doctor, start: datetime, end: datetime, now: datetime) -> None:
    """Move the doctor's appointments out of [start, end): later the same day if
    there is room, otherwise cancel them; flag them and tell their patients."""
    displaced = list(
        _overlapping(Appointment.objects.filter(doctor=doctor), start, end)
        .select_related("clinic", "service", "patient__account__owner", "doctor")
        .order_by("start")
    )
    cursor = end
    for appointment in displaced:
        previous = appointment.start
        length = appointment.end - appointment.start
        moved_to = _move_later(appointment, earliest=cursor, length=length, now=now)
        if moved_to is not None:
            cursor = moved_to + length
            publish(
                AppointmentRescheduled(
                    appointment_id=appointment.pk,
                    doctor_id=doctor.pk,
                    previous_start=previous,
                    start=moved_to,
                    for_emergency=True,
                )
            )
            _tell_displaced(appointment, previous, kind="appointment_moved")
        else:
            _transition(
                actor=None,
                appointment=appointment,
                to_status=Status.CANCELLED,
                now=now,
                extra={
                    "cancel_reason": _("an emergency patient needed the doctor"),
                    "moved_for_emergency_at": now,
                },
            )
            _tell_displaced(appointment, previous, kind="appointment_cancelled_by_clinic")


def _move_later(appointment, *, earliest: datetime, length: timedelta, now: datetime):
    clinic = appointment.clinic
    zone = ZoneInfo(clinic.timezone)
    day = appointment.start.astimezone(zone).date()
    spans = rostering.working_intervals(
        doctor_ids=[appointment.doctor_id],
        clinic_id=clinic.pk,
        zone=zone,
        first_day=day,
        last_day=day,
    )[(appointment.doctor_id, day)]
    step = timedelta(minutes=clinic.slot_step_minutes)
    others = Appointment.objects.exclude(pk=appointment.pk)
    for low, high in spans:
        start = _align(max(low, earliest), step, clinic)
        while start + length <= high:
            end = start + length
            if not _overlapping(
                others.filter(doctor_id=appointment.doctor_id), start, end
            ).exists():
                chairs = _free_chairs(
                    clinic_id=clinic.pk, start=start, end=end, exclude_pk=appointment.pk
                )
                if chairs:

                    def write(chair_id, s=start, e=end):
                        Appointment.objects.filter(pk=appointment.pk).update(
                            start=s,
                            end=e,
                            chair_id=chair_id,
                            moved_for_emergency_at=now,
                            moved_from=appointment.start,
                            updated_at=now,
                        )

                    try:
                        _write_with_chair(write=write, chair_ids=chairs)
                    except SlotTaken:
                        pass
                    else:
                        appointment.refresh_from_db()
                        _refresh_after_commit(appointment, appointment.moved_from)
                        return start
            start += step
    return None


def _tell_displaced(appointment, previous: datetime, *, kind: str) -> None:
    clinic = appointment.clinic
    messaging.notify(
        recipient=appointment.patient.account.owner,
        kind=kind,
        params={
            "patient": appointment.patient.display_name,
            "service": appointment.service.display_name,
            "doctor": appointment.doctor.name,
            "time": local_time(appointment.start, clinic),
            "previous": local_time(previous, clinic),
            "phone": clinic.phone,
            "reason": _("an emergency patient needed the doctor"),
            "link": link_url(appointment),
        },
        key=f"{kind}:{appointment.public_id}:{appointment.start.isoformat()}",
        happens_at=min(previous, appointment.start),
        link_expires_at=appointment.start,
        object_type="appointment",
        object_id=appointment.public_id,
    )


def _tell_everyone(
    case: EmergencyCase, dispatch: EmergencyDispatch, appointment: Appointment
) -> None:
    clinic = dispatch.clinic
    messaging.notify(
        recipient=case.patient.account.owner,
        kind="emergency_accepted",
        params={
            "doctor": dispatch.doctor.name,
            "clinic": clinic.display_name,
            "address": clinic.address,
            "patient": case.patient.display_name,
            "time": local_time(appointment.start, clinic),
            "phone": clinic.phone,
        },
        key=f"emergency-accepted:{case.public_id}",
        object_type="emergency",
        object_id=case.public_id,
    )
    for other in case.dispatches.exclude(pk=dispatch.pk).select_related("doctor__user"):
        messaging.notify(
            recipient=other.doctor.user,
            kind="emergency_taken",
            params={"case": str(case.public_id)[:8]},
            key=f"emergency-taken:{case.public_id}:{other.doctor.public_id}",
            object_type="emergency",
            object_id=case.public_id,
        )
