"""An independent checker of every hard constraint of a roster.

Written apart from the optimizer's repair code (``nsga``, ``feasibility``) and sharing none of
it, so that a mistake in one is caught by the other: every option the optimizer returns, and
every roster the rostering context publishes, goes through ``check``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable

from yachi.rostering.planner.model import AppointmentId, Instance, Shift, Violation


def _when(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def check(
    instance: Instance,
    shifts: Iterable[Shift],
    uncovered_appointments: Iterable[AppointmentId] = (),
) -> list[Violation]:
    """Every hard constraint the roster breaks, as plain messages (empty: the roster is legal).

    ``uncovered_appointments``: booked appointments the roster declares it cannot keep with
    their doctor; every other booked appointment must be covered.
    """
    shifts = list(shifts)
    found: list[Violation] = []

    def add(code: str, message: str) -> None:
        found.append(Violation(code, message))

    doctors = {doctor.id: doctor for doctor in instance.doctors}
    chairs = {clinic.id: set(clinic.chair_ids) for clinic in instance.clinics}
    opening = {(h.clinic_id, h.start, h.end): h for h in instance.half_days}
    horizon = set(instance.dates)

    dated: list[tuple[Shift, dt.date]] = []
    for shift in shifts:
        doctor = doctors.get(shift.doctor_id)
        if doctor is None:
            add("unknown_doctor", f"Doctor {shift.doctor_id} is not one of the roster's doctors.")
            continue
        if shift.clinic_id not in chairs:
            add("unknown_clinic", f"Clinic {shift.clinic_id} is not one of the roster's clinics.")
            continue
        if shift.chair_id not in chairs[shift.clinic_id]:
            add(
                "unknown_chair",
                f"Chair {shift.chair_id} is not a chair of clinic {shift.clinic_id} ({_where(shift)}).",
            )
        half_day = opening.get((shift.clinic_id, shift.start, shift.end))
        if half_day is None or half_day.date not in horizon:
            add(
                "not_a_half_day",
                f"The shift of {_where(shift)} is not an opening half-day of the clinic in the horizon.",
            )
            date = shift.start.date()
        else:
            date = half_day.date
        dated.append((shift, date))
        if shift.clinic_id not in doctor.clinic_ids:
            add(
                "wrong_clinic",
                f"Doctor {doctor.id} does not work at clinic {shift.clinic_id} ({_where(shift)}).",
            )
        if doctor.available is not None and not any(
            period.start <= shift.start and shift.end <= period.end for period in doctor.available
        ):
            add("unavailable", f"Doctor {doctor.id} is not available then ({_where(shift)}).")
        for period in doctor.leave:
            if period.start < shift.end and shift.start < period.end:
                add("on_leave", f"Doctor {doctor.id} is on leave then ({_where(shift)}).")
                break

    by_doctor: dict[int, list[tuple[Shift, dt.date]]] = defaultdict(list)
    for shift, date in dated:
        by_doctor[shift.doctor_id].append((shift, date))

    for doctor_id, own in by_doctor.items():
        doctor = doctors[doctor_id]
        own.sort(key=lambda pair: (pair[0].start, pair[0].end))
        # At most one place at a time.
        for i, (first, _date) in enumerate(own):
            for second, _other in own[i + 1 :]:
                if second.start >= first.end:
                    break
                add(
                    "double_booked",
                    f"Doctor {doctor_id} is rostered twice at once: clinic {first.clinic_id} "
                    f"{_when(first.start, first.end)} and clinic {second.clinic_id} "
                    f"{_when(second.start, second.end)}.",
                )
        # Hours per day and per week.
        per_day: dict[dt.date, float] = defaultdict(float)
        per_week: dict[int, float] = defaultdict(float)
        for shift, date in own:
            hours = (shift.end - shift.start).total_seconds() / 3600
            per_day[date] += hours
            per_week[(date - instance.start).days // 7] += hours
        for date, hours in sorted(per_day.items()):
            if hours > doctor.max_hours_per_day + 1e-9:
                add(
                    "day_too_long",
                    f"Doctor {doctor_id} works {hours:g} h on {date:%Y-%m-%d}, more than the "
                    f"{doctor.max_hours_per_day:g} h allowed in a day.",
                )
        for week, hours in sorted(per_week.items()):
            if hours > doctor.max_hours_per_week + 1e-9:
                first_day = instance.start + dt.timedelta(days=7 * week)
                add(
                    "week_too_long",
                    f"Doctor {doctor_id} works {hours:g} h in the week from {first_day:%Y-%m-%d}, "
                    f"more than the {doctor.max_hours_per_week:g} h allowed in a week.",
                )
        # Rest between the last shift of one day and the first of a later day.
        last_end: dict[dt.date, dt.datetime] = {}
        first_start: dict[dt.date, dt.datetime] = {}
        for shift, date in own:
            last_end[date] = max(last_end.get(date, shift.end), shift.end)
            first_start[date] = min(first_start.get(date, shift.start), shift.start)
        rest = dt.timedelta(hours=instance.min_rest_hours)
        days = sorted(first_start)
        for earlier, later in itertools.pairwise(days):
            if first_start[later] - last_end[earlier] < rest:
                add(
                    "too_little_rest",
                    f"Doctor {doctor_id} ends at {last_end[earlier]:%Y-%m-%d %H:%M} and starts again "
                    f"at {first_start[later]:%Y-%m-%d %H:%M}: less than {instance.min_rest_hours:g} h of rest.",
                )

    # Chair capacity: one doctor per chair at a time.
    by_chair: dict[tuple[int, int], list[Shift]] = defaultdict(list)
    for shift, _date in dated:
        by_chair[(shift.clinic_id, shift.chair_id)].append(shift)
    for (clinic_id, chair_id), on_chair in by_chair.items():
        on_chair.sort(key=lambda shift: shift.start)
        for i, first in enumerate(on_chair):
            for second in on_chair[i + 1 :]:
                if second.start >= first.end:
                    break
                add(
                    "chair_taken",
                    f"Chair {chair_id} of clinic {clinic_id} has two doctors at once: doctors "
                    f"{first.doctor_id} and {second.doctor_id} at {_when(second.start, min(first.end, second.end))}.",
                )

    # Skills the forecast needs: every skill forecast for at least `skill_required_minutes` at a
    # half-day is present there, if any doctor of it could be.
    forecast: dict[tuple[int, dt.date, str, str], int] = defaultdict(int)
    for demand in instance.demand:
        forecast[(demand.clinic_id, demand.date, demand.part, demand.skill)] += demand.minutes
    half_days = {h.key: h for h in instance.half_days}
    present: dict[tuple[int, dt.datetime, dt.datetime], set[str]] = defaultdict(set)
    for shift, _date in dated:
        doctor = doctors[shift.doctor_id]
        present[(shift.clinic_id, shift.start, shift.end)] |= doctor.skills
    for (clinic_id, date, part, skill), minutes in sorted(forecast.items()):
        half_day = half_days.get((clinic_id, date, part))
        if half_day is None or minutes < instance.skill_required_minutes:
            continue
        if skill in present[(clinic_id, half_day.start, half_day.end)]:
            continue
        if any(
            _could_work(doctor, half_day) and skill in doctor.skills for doctor in instance.doctors
        ):
            add(
                "skill_missing",
                f"No doctor with {skill} at clinic {clinic_id} on {date:%Y-%m-%d} {part}, "
                f"where {minutes} minutes of {skill} are forecast.",
            )

    # Every booked appointment stays with its doctor, at its clinic, then. Its chair is its
    # own (booking's constraint holds it): the chair capacity above leaves one for each.
    excused = set(uncovered_appointments)
    for appointment in instance.appointments:
        if appointment.id in excused:
            continue
        if not any(
            shift.doctor_id == appointment.doctor_id
            and shift.clinic_id == appointment.clinic_id
            and shift.start <= appointment.start
            and appointment.end <= shift.end
            for shift, _date in dated
        ):
            add(
                "appointment_orphaned",
                f"Appointment {appointment.id} (doctor {appointment.doctor_id}, clinic "
                f"{appointment.clinic_id}, {_when(appointment.start, appointment.end)}) "
                "is not covered by its doctor's shift.",
            )
    return found


def _where(shift: Shift) -> str:
    return f"doctor {shift.doctor_id} at clinic {shift.clinic_id} {_when(shift.start, shift.end)}"


def _could_work(doctor, half_day) -> bool:
    if half_day.clinic_id not in doctor.clinic_ids:
        return False
    if doctor.available is not None and not any(
        p.start <= half_day.start and half_day.end <= p.end for p in doctor.available
    ):
        return False
    return not any(p.start < half_day.end and half_day.start < p.end for p in doctor.leave)
