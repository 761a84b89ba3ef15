"""Synthetic chains for the benchmark and the tests: believable sizes, seeded, no database.

A chain of ``doctors`` doctors over ``days`` days: one clinic per six or seven doctors, each
with as many chairs as about two thirds of its doctors; mornings and afternoons every day but
Sunday afternoon, an evening at every other clinic on weekdays; a doctor works at a home clinic
and, one in three, at a second; general dentistry and now and then a specialty (asked for at its doctors' home
clinic on about a third of the daytime half-days); a day or two of leave here and there, a preferred weekday off, booked appointments in the first days, and a
forecast around what the chain can serve.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from yachi.rostering.planner.model import (
    SKILLS,
    Appointment,
    Clinic,
    Demand,
    Doctor,
    HalfDay,
    Instance,
    Period,
)

ZONE = ZoneInfo("Asia/Shanghai")
HOURS = {
    "morning": ((8, 30), (12, 0)),
    "afternoon": ((13, 30), (17, 30)),
    "evening": ((18, 0), (21, 0)),
}
URGENCY = ((1.0, 0.8), (3.0, 0.2))  # (weight, share): routine visits, and pain and emergencies


def _at(date: dt.date, hour_minute: tuple[int, int]) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(*hour_minute), tzinfo=ZONE)


def chain(
    doctors: int, days: int = 14, *, seed: int = 0, start: dt.date = dt.date(2026, 3, 2)
) -> Instance:
    rng = random.Random(seed)
    clinic_count = max(1, round(doctors / 6.5))
    clinics = []
    half_days = []
    for c in range(clinic_count):
        clinic_id = c + 1
        per_clinic = doctors / clinic_count
        chairs = max(2, round(per_clinic * 0.7))
        clinics.append(Clinic(clinic_id, tuple(100 * clinic_id + k for k in range(1, chairs + 1))))
        for day in range(days):
            date = start + dt.timedelta(days=day)
            parts = ["morning", "afternoon"] if date.weekday() < 6 else ["morning"]
            if c % 2 == 1 and date.weekday() < 5:
                parts.append("evening")
            for part in parts:
                begin, end = HOURS[part]
                half_days.append(HalfDay(clinic_id, date, part, _at(date, begin), _at(date, end)))

    doctor_list = []
    for k in range(doctors):
        home = k % clinic_count + 1
        clinic_ids = {home}
        if clinic_count > 1 and rng.random() < 1 / 3:
            clinic_ids.add(rng.choice([c.id for c in clinics if c.id != home]))
        skills = {"general"}
        if rng.random() < 0.6:
            skills.add(rng.choice(SKILLS[1:]))
        leave = []
        if rng.random() < 0.3:
            first = start + dt.timedelta(days=rng.randrange(days))
            length = rng.choice((1, 2))
            leave.append(Period(_at(first, (0, 0)), _at(first + dt.timedelta(days=length), (0, 0))))
        weekday_off = rng.randrange(7)
        doctor_list.append(
            Doctor(
                id=1000 + k,
                skills=frozenset(skills),
                clinic_ids=frozenset(clinic_ids),
                max_hours_per_day=9.0,
                max_hours_per_week=rng.choice((44.0, 48.0)),
                contract_hours_per_week=rng.choice((32.0, 40.0, 40.0)),
                leave=tuple(leave),
                preferred_days_off=frozenset(
                    start + dt.timedelta(days=d)
                    for d in range(days)
                    if (start + dt.timedelta(days=d)).weekday() == weekday_off
                ),
                preferred_clinic_id=home,
            )
        )

    # Forecast: at each half-day about 60 % of what the clinic's doctors could give, spread over
    # general dentistry and the specialties its doctors have, heavier on weekday mornings.
    demand = []
    for h in half_days:
        local = [d for d in doctor_list if h.clinic_id in d.clinic_ids]
        chairs = len(next(c.chair_ids for c in clinics if c.id == h.clinic_id))
        capacity = min(len(local) * 0.55, chairs) * h.minutes
        load = capacity * rng.uniform(0.45, 0.75) * (1.15 if h.part == "morning" else 1.0)
        # A specialty is asked for on about a third of the half-days (the days its patients
        # are booked in); general dentistry takes the rest.
        # Specialties are seen by the clinic's own doctors, in the daytime.
        home = [d for d in local if d.preferred_clinic_id == h.clinic_id]
        specialties = [
            s
            for s in sorted({s for d in home for s in d.skills} - {"general"})
            if h.part != "evening" and rng.random() < 0.3
        ]
        shares = {"general": 1.0 - 0.1 * len(specialties)}
        for s in specialties:
            shares[s] = 0.1
        for skill, share in shares.items():
            for weight, urgency_share in URGENCY:
                minutes = round(load * share * urgency_share / 10) * 10
                if minutes > 0:
                    demand.append(Demand(h.clinic_id, h.date, h.part, skill, minutes, weight))

    # Booked appointments: in the first three days, for a third of the doctors.
    appointments = []
    next_id = 1
    for d in doctor_list:
        if rng.random() > 1 / 3:
            continue
        home = d.preferred_clinic_id
        options = [
            h
            for h in half_days
            if h.clinic_id == home and (h.date - start).days < 3 and h.part != "evening"
        ]
        h = rng.choice(options)
        if any(p.overlaps(h.start, h.end) for p in d.leave):
            continue
        chair = next(c.chair_ids for c in clinics if c.id == home)
        used = {
            a.chair_id for a in appointments if a.clinic_id == home and h.start <= a.start < h.end
        }
        free = [x for x in chair if x not in used]
        if not free:
            continue
        begin = h.start + dt.timedelta(minutes=30 * rng.randrange(4))
        appointments.append(
            Appointment(
                next_id,
                d.id,
                home,
                free[0],
                begin,
                begin + dt.timedelta(minutes=rng.choice((30, 60))),
                "general",
            )
        )
        next_id += 1

    return Instance(
        start=start,
        days=days,
        clinics=tuple(clinics),
        half_days=tuple(half_days),
        doctors=tuple(doctor_list),
        demand=tuple(demand),
        appointments=tuple(appointments),
        emergency_buffer_minutes=30,
        skill_required_minutes=60,
        min_rest_hours=12.0,
    )
