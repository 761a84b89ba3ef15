"""Sick-day repair: when a doctor calls in sick, the smallest change to the published roster
that keeps their booked patients seen, at the same clinic, by another qualified doctor.

First the doctors already on shift there and then take what they can (no new shift: the
patient only changes doctor and chair); what is left goes to one new shift of a doctor who
may legally work that half-day, on the sick doctor's chair, the candidate who takes the most
being chosen (then one who prefers that clinic, then the least worked that week); a second new
shift only where a free chair and a candidate are left. What no one can take is returned as
uncovered: those patients must be moved. The forecast's needs are not re-planned here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

from yachi.rostering.planner.compiled import Compiled
from yachi.rostering.planner.model import (
    Appointment,
    Instance,
    Period,
    Reassignment,
    Shift,
    SickDayRepair,
)


def repair_sick_day(instance: Instance, shifts, *, doctor_id: int, date: dt.date) -> SickDayRepair:
    shifts = list(shifts)
    compiled = Compiled(_without(instance, doctor_id, date))
    half_day_of = compiled.half_day_index
    doctors = {d.id: d for d in instance.doctors}

    def shift_date(shift: Shift) -> dt.date:
        index = half_day_of.get((shift.clinic_id, shift.start, shift.end))
        return compiled.half_days[index].date if index is not None else shift.start.date()

    removed = [s for s in shifts if s.doctor_id == doctor_id and shift_date(s) == date]
    roster = [s for s in shifts if s not in removed]
    patients = sorted(
        (
            a
            for a in instance.appointments
            if a.doctor_id == doctor_id
            and any(
                s.clinic_id == a.clinic_id and s.start <= a.start and a.end <= s.end
                for s in removed
            )
        ),
        key=lambda a: (a.start, str(a.id)),
    )
    # Who is busy when: every other doctor's own appointments, then what they take over.
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for a in instance.appointments:
        if a.doctor_id != doctor_id:
            busy[a.doctor_id].append((a.start, a.end))

    def free(doctor: int, appointment: Appointment) -> bool:
        return all(
            end <= appointment.start or appointment.end <= start for start, end in busy[doctor]
        )

    reassigned: list[Reassignment] = []
    left: list[Appointment] = []
    for appointment in patients:
        taker = next(
            (
                s
                for s in sorted(roster, key=lambda s: s.doctor_id)
                if s.clinic_id == appointment.clinic_id
                and s.start <= appointment.start
                and appointment.end <= s.end
                and appointment.skill in doctors[s.doctor_id].skills
                and free(s.doctor_id, appointment)
            ),
            None,
        )
        if taker is None:
            left.append(appointment)
            continue
        busy[taker.doctor_id].append((appointment.start, appointment.end))
        reassigned.append(Reassignment(appointment.id, doctor_id, taker.doctor_id, taker.chair_id))

    added: list[Shift] = []
    uncovered: list = []
    by_shift: dict[Shift, list[Appointment]] = defaultdict(list)
    for appointment in left:
        shift = next(
            s
            for s in removed
            if s.clinic_id == appointment.clinic_id
            and s.start <= appointment.start
            and appointment.end <= s.end
        )
        by_shift[shift].append(appointment)
    for shift, waiting in by_shift.items():
        index = half_day_of.get((shift.clinic_id, shift.start, shift.end))
        if index is None:
            uncovered.extend(a.id for a in waiting)
            continue
        used = {
            s.chair_id
            for s in roster + added
            if s.clinic_id == shift.clinic_id and s.start < shift.end and shift.start < s.end
        }
        chairs = [shift.chair_id] + [
            c for c in compiled.chairs[shift.clinic_id] if c != shift.chair_id and c not in used
        ]
        for chair in chairs:
            if not waiting:
                break
            best = None
            for k in compiled.doctors_at[index]:
                candidate = compiled.doctors[k]
                if candidate.id == doctor_id or any(
                    s.doctor_id == candidate.id and s.start < shift.end and shift.start < s.end
                    for s in roster + added
                ):
                    continue
                worked = [
                    half_day_of[(s.clinic_id, s.start, s.end)]
                    for s in roster + added
                    if s.doctor_id == candidate.id and (s.clinic_id, s.start, s.end) in half_day_of
                ]
                if not compiled.fits(k, worked, index):
                    continue
                takes = [
                    a for a in waiting if a.skill in candidate.skills and free(candidate.id, a)
                ]
                if not takes:
                    continue
                week = sum(
                    compiled.minutes[i] for i in worked if compiled.week[i] == compiled.week[index]
                )
                rank = (
                    -len(takes),
                    candidate.preferred_clinic_id != shift.clinic_id,
                    week,
                    candidate.id,
                )
                if best is None or rank < best[0]:
                    best = (rank, candidate, takes)
            if best is None:
                break
            _rank, candidate, takes = best
            added.append(Shift(candidate.id, shift.clinic_id, chair, shift.start, shift.end))
            for a in takes:
                busy[candidate.id].append((a.start, a.end))
                reassigned.append(Reassignment(a.id, doctor_id, candidate.id, chair))
            waiting = [a for a in waiting if a not in takes]
        uncovered.extend(a.id for a in waiting)

    final = tuple(
        sorted(roster + added, key=lambda s: (s.start, s.clinic_id, s.chair_id, s.doctor_id))
    )
    return SickDayRepair(tuple(removed), tuple(added), tuple(reassigned), tuple(uncovered), final)


def _without(instance: Instance, doctor_id: int, date: dt.date) -> Instance:
    """The instance with the sick doctor on leave all that day."""
    doctors = []
    for d in instance.doctors:
        if d.id == doctor_id:
            day = [h for h in instance.half_days if h.date == date]
            if day:
                period = Period(min(h.start for h in day), max(h.end for h in day))
                d = replace(d, leave=(*d.leave, period))
        doctors.append(d)
    return replace(instance, doctors=tuple(doctors))


def after_repair(
    instance: Instance, repair: SickDayRepair, *, doctor_id: int, date: dt.date
) -> Instance:
    """The instance as the repair leaves it: the doctor on leave that day, the reassigned
    appointments with their new doctor and chair (to check the repaired roster against)."""
    moved = {r.appointment_id: r for r in repair.reassigned}
    appointments = tuple(
        replace(a, doctor_id=moved[a.id].to_doctor_id, chair_id=moved[a.id].chair_id)
        if a.id in moved
        else a
        for a in instance.appointments
    )
    return replace(_without(instance, doctor_id, date), appointments=appointments)
