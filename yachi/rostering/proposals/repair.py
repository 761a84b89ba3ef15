"""Sick-day repair in the clinic: a doctor calls in sick on a day. The planner's pure
``repair_sick_day`` (the one repair there is) proposes the smallest change that keeps their
booked patients: each visit handed to a qualified colleague at the same clinic who is on
shift and free then, or to one given a new shift of that half-day; the patients nobody can
take are listed with the message drafted to ask them to choose another time.

Applying it, in one transaction: the colleagues' extra shifts and the sick day are recorded
(audited roster changes), the covered visits are handed over and the patients told, and the
others are sent the drafted message with the link to rebook (booking's side, registered:
``sources.VisitMoves``)."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import Conflict, InvalidInput
from yachi.messaging import facade as messaging
from yachi.rostering import changes
from yachi.rostering.choices import ExceptionKind
from yachi.rostering.models import ShiftException
from yachi.rostering.planner import Shift, repair_sick_day
from yachi.rostering.proposals import sources
from yachi.rostering.proposals.instance import instance_build


@dataclass
class Handover:
    visit: object
    doctor: object
    extra_shift: tuple[datetime, datetime] | None = None  # added for the colleague


@dataclass
class SickDayPlan:
    doctor: object
    day: date
    handovers: list[Handover] = field(default_factory=list)
    to_move: list[tuple[object, str]] = field(default_factory=list)  # visit, drafted text

    @property
    def extra_shifts(self) -> list[tuple[object, tuple[datetime, datetime]]]:
        """(colleague, span) of each new shift, once each."""
        seen, result = set(), []
        for handover in self.handovers:
            key = (handover.doctor.pk, handover.extra_shift)
            if handover.extra_shift and key not in seen:
                seen.add(key)
                result.append((handover.doctor, handover.extra_shift))
        return result


def _draft(visit, clinic) -> str:
    """The message the patient will get (``appointment_please_move``), as the page shows it."""
    _title, text = messaging.message_render(
        "appointment_please_move",
        {
            "patient": visit.patient,
            "doctor": visit.doctor,
            "service": visit.service,
            "clinic": clinic.display_name,
            "time": visit.start.astimezone(ZoneInfo(clinic.timezone)).strftime("%Y-%m-%d %H:%M"),
            "phone": clinic.phone,
        },
        get_language(),
    )
    return text


def _roster(built, clinic, day: date, sick_id: int) -> list[Shift]:
    """The roster that day as the planner's half-day shifts. A colleague is on shift in a
    half-day their working time covers whole (only there may they take a patient without a
    new shift); the sick doctor in every half-day they work at all. A shift's chair is that
    of the doctor's visits then, or a chair nobody else has then."""
    instance = built.instance
    chairs = next(c.chair_ids for c in instance.clinics if c.id == clinic.pk)
    shifts = []
    for half in (h for h in instance.half_days if h.clinic_id == clinic.pk):
        taken: set[int] = set()
        on_shift = []
        for doctor in instance.doctors:
            spans = built.current.get((doctor.id, clinic.pk, half.date), [])
            if doctor.id == sick_id and half.date == day:
                works = any(s < half.end and half.start < e for s, e in spans)
            else:
                works = any(s <= half.start and half.end <= e for s, e in spans)
            if works:
                own = [
                    a.chair_id
                    for a in instance.appointments
                    if a.doctor_id == doctor.id and a.start < half.end and half.start < a.end
                ]
                on_shift.append((doctor.id, own[0] if own else None))
                taken.update(own[:1])
        for doctor_id, chair in on_shift:
            if chair is None:
                chair = next((c for c in chairs if c not in taken), chairs[0] if chairs else None)
                taken.add(chair)
            if chair is not None:
                shifts.append(Shift(doctor_id, clinic.pk, chair, half.start, half.end))
    return shifts


def sick_day_plan(*, clinic, doctor, day: date) -> SickDayPlan:
    """What the planner's repair proposes for ``doctor`` off sick at ``clinic`` on ``day``
    (today or later; visits already begun are left as they are)."""
    zone = ZoneInfo(clinic.timezone)
    now = timezone.now()
    if day < now.astimezone(zone).date():
        raise InvalidInput(_("Choose today or a later day."), code="day_passed")
    built = instance_build(
        clinic_list=[clinic],
        week_start=day - timedelta(days=day.weekday()),
        weeks=1,
        today=now.astimezone(zone).date(),
        with_demand=False,
    )
    sick_visits = sorted(
        (
            v
            for v in built.visits.values()
            if v.doctor_id == doctor.pk
            and v.start >= now
            and v.start.astimezone(zone).date() == day
        ),
        key=lambda v: (v.start, v.id),
    )
    begun = {
        v.id
        for v in built.visits.values()
        if v.doctor_id == doctor.pk and v.start < now and v.start.astimezone(zone).date() == day
    }
    instance = built.instance
    if begun:
        instance = replace(
            instance, appointments=tuple(a for a in instance.appointments if a.id not in begun)
        )
        built = replace(built, instance=instance)
    result = repair_sick_day(
        instance, _roster(built, clinic, day, doctor.pk), doctor_id=doctor.pk, date=day
    )
    colleagues = {d.pk: d for d in clinics.clinic_doctors(clinic=clinic)}
    added = {(s.doctor_id, s.start): (s.start, s.end) for s in result.added}
    plan = SickDayPlan(doctor=doctor, day=day)
    taken = {}
    for moved in result.reassigned:
        visit = built.visits[moved.appointment_id]
        span = next(
            (
                spans
                for (doctor_id, start), spans in added.items()
                if doctor_id == moved.to_doctor_id and start <= visit.start < spans[1]
            ),
            None,
        )
        working = built.current.get((moved.to_doctor_id, clinic.pk, day), [])
        if any(s <= visit.start and visit.end <= e for s, e in working):
            span = None  # within the hours the colleague already works: no new shift needed
        taken[visit.id] = Handover(
            visit=visit, doctor=colleagues[moved.to_doctor_id], extra_shift=span
        )
    for visit in sick_visits:
        if visit.id in taken:
            plan.handovers.append(taken[visit.id])
        else:
            plan.to_move.append((visit, _draft(visit, clinic)))
    return plan


def sick_day_apply(*, actor, clinic, doctor, day: date) -> SickDayPlan:
    """Apply the repair in one transaction: the colleagues' extra shifts and the sick day
    (audited roster changes), the covered visits handed over with their patients told,
    and the others asked to choose another time. New bookings wait meanwhile, so the
    plan is made again under that hold and stays true."""
    changes.require_manager(actor, clinic)
    if ShiftException.objects.filter(
        doctor=doctor, date=day, kind=ExceptionKind.LEAVE, start_time__isnull=True
    ).exists():
        raise Conflict(_("This doctor's sick day is already recorded."), code="already_sick")
    zone = ZoneInfo(clinic.timezone)
    moves = sources.visit_moves()
    reason = _("%(doctor)s is off sick") % {"doctor": doctor.name}
    with transaction.atomic():
        sources.hold_bookings()
        plan = sick_day_plan(clinic=clinic, doctor=doctor, day=day)
        for colleague, (start, end) in plan.extra_shifts:
            changes.exception_add(
                actor=actor,
                clinic=clinic,
                exception=ShiftException(
                    doctor=colleague,
                    clinic=clinic,
                    date=day,
                    kind=ExceptionKind.EXTRA,
                    start_time=start.astimezone(zone).time(),
                    end_time=end.astimezone(zone).time(),
                    note=(_("Covering for %(doctor)s") % {"doctor": doctor.name})[:100],
                ),
                confirm=True,
            )
        moves.hand_over(
            actor=actor,
            clinic_id=clinic.pk,
            handovers=[(h.visit.id, h.doctor.pk) for h in plan.handovers],
            reason=reason,
        )
        changes.exception_add(
            actor=actor,
            clinic=clinic,
            exception=ShiftException(
                doctor=doctor, clinic=clinic, date=day, kind=ExceptionKind.LEAVE, note=_("Sick")
            ),
            confirm=True,
        )
        moves.ask_to_move(
            actor=actor,
            clinic_id=clinic.pk,
            appointment_ids=[visit.id for visit, _text in plan.to_move],
            reason=reason,
        )
    return plan
