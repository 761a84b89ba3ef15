"""A planning ``Instance`` built from the database: the clinics' opening half-days and
chairs, their doctors with skills, leave and preferences, the visits already booked over
the horizon, and the demand to plan for (ADR 0056)."""

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from yachi.clinics import facade as clinics
from yachi.rostering.choices import ExceptionKind
from yachi.rostering.models import ShiftException
from yachi.rostering.planner.model import (
    Appointment,
    Clinic,
    Doctor,
    HalfDay,
    Instance,
    Period,
)
from yachi.rostering.proposals import sources
from yachi.rostering.proposals.demand import EVENING, NOON, planned_demand
from yachi.rostering.proposals.models import DoctorPreference
from yachi.rostering.selectors import working_intervals


@dataclass(frozen=True)
class Built:
    """The instance, and what the pages show beside it: the booked visits by id, the
    current working time of each doctor (to say what an option changes)."""

    instance: Instance
    visits: dict[str, object]
    current: dict[tuple[int, int, date], list[tuple[datetime, datetime]]]
    chairless: list  # booked visits without a chair (video): checked at publish time


def _half_days(clinic, day: date) -> list[HalfDay]:
    """The clinic's opening hours that day cut at noon and at six: its half-days."""
    zone = ZoneInfo(clinic.timezone)
    result = []
    for hours in clinics.opening_hours_on(clinic=clinic, day=day):
        cuts = [hours.opens]
        cuts += [cut for cut in (NOON, EVENING) if hours.opens < cut < hours.closes]
        cuts.append(hours.closes)
        for low, high in itertools.pairwise(cuts):
            part = "morning" if low < NOON else ("afternoon" if low < EVENING else "evening")
            if any(h.part == part for h in result) or high <= low:
                continue
            result.append(
                HalfDay(
                    clinic_id=clinic.pk,
                    date=day,
                    part=part,
                    start=datetime.combine(day, low, tzinfo=zone),
                    end=datetime.combine(day, high, tzinfo=zone),
                )
            )
    return result


def _leave(doctor_ids, first: date, last: date, zone) -> dict[int, list[Period]]:
    """Leave anywhere (a doctor on leave at one clinic is not rostered at another then)."""
    leave: dict[int, list[Period]] = {}
    rows = ShiftException.objects.filter(
        Q(kind=ExceptionKind.LEAVE), doctor_id__in=doctor_ids, date__gte=first, date__lte=last
    ).order_by()
    for row in rows:
        if row.start_time is None:
            low = datetime.combine(row.date, time.min, tzinfo=zone)
            period = Period(low, low + timedelta(days=1))
        else:
            period = Period(
                datetime.combine(row.date, row.start_time, tzinfo=zone),
                datetime.combine(row.date, row.end_time, tzinfo=zone),
            )
        leave.setdefault(row.doctor_id, []).append(period)
    return leave


def instance_build(
    *, clinic_list: list, week_start: date, weeks: int, today: date, with_demand: bool = True
) -> Built:
    """The instance for ``clinic_list`` over ``weeks`` weeks from ``week_start``
    (``with_demand=False``: without the forecast, for the sick-day repair, which covers
    booked patients only)."""
    days = [week_start + timedelta(days=i) for i in range(7 * weeks)]
    zone = ZoneInfo(clinic_list[0].timezone)
    half_days = [half for clinic in clinic_list for day in days for half in _half_days(clinic, day)]
    chairs = {c.pk: tuple(clinics.active_chair_ids(clinic_id=c.pk)) for c in clinic_list}
    doctors: dict[int, object] = {}
    works_at: dict[int, set[int]] = {}
    for clinic in clinic_list:
        for doctor in clinics.clinic_doctors(clinic=clinic):
            doctors[doctor.pk] = doctor
            works_at.setdefault(doctor.pk, set()).add(clinic.pk)
    leave = _leave(list(doctors), days[0], days[-1], zone)
    preferences = {
        p.doctor_id: p for p in DoctorPreference.objects.filter(doctor_id__in=list(doctors))
    }
    planned = []
    for pk, doctor in doctors.items():
        preference = preferences.get(pk)
        days_off = frozenset(
            day for day in days if preference and day.weekday() in preference.days_off
        )
        planned.append(
            Doctor(
                id=pk,
                skills=frozenset(s.skill for s in doctor.skills.all()),
                clinic_ids=frozenset(works_at[pk]),
                max_hours_per_day=settings.YACHI_ROSTER_MAX_HOURS_PER_DAY,
                max_hours_per_week=settings.YACHI_ROSTER_MAX_HOURS_PER_WEEK,
                contract_hours_per_week=settings.YACHI_ROSTER_CONTRACT_HOURS_PER_WEEK,
                leave=tuple(leave.get(pk, ())),
                preferred_days_off=days_off,
                preferred_clinic_id=preference.preferred_clinic_id if preference else None,
            )
        )
    low = datetime.combine(days[0], time.min, tzinfo=zone)
    high = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=zone)
    visits, appointments, chairless = {}, [], []
    current = {}
    for clinic in clinic_list:
        for visit in sources.booked(clinic_id=clinic.pk, start=low, end=high):
            visits[visit.id] = visit
            if visit.chair_id is None:
                chairless.append(visit)
                continue
            appointments.append(
                Appointment(
                    id=visit.id,
                    doctor_id=visit.doctor_id,
                    clinic_id=clinic.pk,
                    chair_id=visit.chair_id,
                    start=visit.start,
                    end=visit.end,
                    skill=visit.skill if visit.skill != "emergency" else "general",
                )
            )
        hours = working_intervals(
            doctor_ids=[pk for pk, at in works_at.items() if clinic.pk in at],
            clinic_id=clinic.pk,
            zone=ZoneInfo(clinic.timezone),
            first_day=days[0],
            last_day=days[-1],
        )
        for (doctor_id, day), spans in hours.items():
            if spans:
                current[(doctor_id, clinic.pk, day)] = spans
    instance = Instance(
        start=week_start,
        days=len(days),
        clinics=tuple(Clinic(id=c.pk, chair_ids=chairs[c.pk]) for c in clinic_list),
        half_days=tuple(half_days),
        doctors=tuple(planned),
        demand=tuple(planned_demand(clinics=clinic_list, half_days=half_days, before=today))
        if with_demand
        else (),
        appointments=tuple(appointments),
        emergency_buffer_minutes=settings.YACHI_ROSTER_EMERGENCY_BUFFER_MINUTES,
    )
    return Built(instance=instance, visits=visits, current=current, chairless=chairless)
