"""An instance compiled for the optimizer: indexes, what each doctor may work, the shifts that
booked appointments pin, the skills each half-day needs, and the objectives of a roster.

The optimizer, its repair and the CP-SAT reference work on this form; the checker
(``check``) does not use it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from yachi.rostering.planner.model import (
    PARTS,
    AppointmentId,
    Doctor,
    HalfDay,
    Instance,
    Objectives,
    Shift,
)

# The weighted sum that picks a "balanced" option and that the CP-SAT reference minimises:
# per weighted unmet minute, hour of imbalance, hour of overtime, violated preference, and
# minute of emergency buffer short of the target.
WEIGHTS = (1.0, 20.0, 30.0, 30.0, 2.0)

BUFFER = "*"  # the emergency buffer's pseudo-skill: every doctor can keep it free


def eligible(doctor: Doctor, half_day: HalfDay) -> bool:
    """Whether the doctor may work this half-day at all (clinic, availability, leave)."""
    if half_day.clinic_id not in doctor.clinic_ids:
        return False
    if doctor.available is not None and not any(
        period.contains(half_day.start, half_day.end) for period in doctor.available
    ):
        return False
    return not any(period.overlaps(half_day.start, half_day.end) for period in doctor.leave)


@dataclass
class Slot:
    """One gene: a doctor's part of a date, worked at one of ``domain`` (half-day indexes) or off."""

    doctor: int
    date: dt.date
    part: str
    domain: tuple[int, ...]


class Compiled:
    def __init__(self, instance: Instance):
        self.instance = instance
        self.half_days: list[HalfDay] = sorted(
            (
                h
                for h in instance.half_days
                if instance.start <= h.date < instance.start + dt.timedelta(days=instance.days)
            ),
            key=lambda h: (h.date, PARTS.index(h.part) if h.part in PARTS else 9, h.clinic_id),
        )
        self.half_day_index = {
            (h.clinic_id, h.start, h.end): i for i, h in enumerate(self.half_days)
        }
        self.key_index = {h.key: i for i, h in enumerate(self.half_days)}
        self.doctors: list[Doctor] = list(instance.doctors)
        self.doctor_index = {d.id: i for i, d in enumerate(self.doctors)}
        self.chairs = {c.id: tuple(c.chair_ids) for c in instance.clinics}
        self.minutes = [h.minutes for h in self.half_days]
        self.week = [instance.week_of(h.date) for h in self.half_days]
        self.rest = dt.timedelta(hours=instance.min_rest_hours)
        self.date_of = [h.date for h in self.half_days]
        self._build_conflicts()

        self.eligible: list[set[int]] = [
            {
                i
                for i, h in enumerate(self.half_days)
                if h.clinic_id in self.chairs and eligible(d, h)
            }
            for d in self.doctors
        ]
        self.eligible_list: list[list[int]] = [sorted(allowed) for allowed in self.eligible]
        self.doctors_at: list[list[int]] = [[] for _ in self.half_days]
        for doctor, allowed in enumerate(self.eligible_list):
            for index in allowed:
                self.doctors_at[index].append(doctor)
        self._build_demand()
        self._build_pins()
        self._build_slots()
        self._build_contracts()
        self._cache: dict[tuple[int, tuple[int, ...]], tuple[float, int]] = {}

    # -- demand and the skills it needs -------------------------------------------------------
    def _build_demand(self) -> None:
        merged: dict[int, dict[tuple[str, float], int]] = defaultdict(lambda: defaultdict(int))
        totals: dict[tuple[int, str], int] = defaultdict(int)
        for demand in self.instance.demand:
            index = self.key_index.get(demand.key)
            if index is None or demand.minutes <= 0:
                continue
            merged[index][(demand.skill, float(demand.urgency_weight))] += demand.minutes
            totals[(index, demand.skill)] += demand.minutes
        # Per half-day: classes (skill, weight, minutes), heaviest first.
        self.classes: list[list[tuple[str, float, int]]] = [
            sorted(((s, w, m) for (s, w), m in merged[i].items()), key=lambda c: (-c[1], c[0]))
            for i in range(len(self.half_days))
        ]
        self.requirements: list[tuple[int, str]] = sorted(
            (index, skill)
            for (index, skill), minutes in totals.items()
            if minutes >= self.instance.skill_required_minutes
            and any(
                skill in d.skills and index in self.eligible[k] for k, d in enumerate(self.doctors)
            )
        )

    # -- booked appointments pin their doctor's shift -----------------------------------------
    def _build_pins(self) -> None:
        """Each booked appointment pins its doctor to its half-day. The shift takes the
        appointment's chair when no other pinned doctor has it then, else another free one:
        booking seats visits in any free chair, so two doctors' visits of one half-day may
        share a chair at different times, and the visit keeps its own chair whatever the
        shift's is (no more doctors than chairs leaves every rostered doctor a free one)."""
        self.pinned: dict[tuple[int, int], int] = {}  # (doctor, half-day) -> chair
        self.booked: dict[tuple[int, int], int] = defaultdict(int)  # minutes already booked
        uncovered: list[AppointmentId] = []
        chairs_taken: dict[int, set[int]] = defaultdict(set)  # half-day -> pinned chairs
        for appointment in sorted(self.instance.appointments, key=lambda a: (a.start, str(a.id))):
            doctor = self.doctor_index.get(appointment.doctor_id)
            index = next(
                (
                    i
                    for i, h in enumerate(self.half_days)
                    if h.clinic_id == appointment.clinic_id
                    and h.start <= appointment.start
                    and appointment.end <= h.end
                ),
                None,
            )
            ok = doctor is not None and index is not None and index in self.eligible[doctor]
            if ok and (doctor, index) not in self.pinned:
                chair = self._free_chair(index, chairs_taken[index], appointment.chair_id)
                ok = chair is not None and self.fits(
                    doctor, [i for (d, i) in self.pinned if d == doctor], index
                )
                if ok:
                    self.pinned[(doctor, index)] = chair
                    chairs_taken[index].add(chair)
            if not ok:
                uncovered.append(appointment.id)
                continue
            self.booked[(doctor, index)] += appointment.minutes
        self.uncovered: tuple[AppointmentId, ...] = tuple(uncovered)

    def _free_chair(self, index: int, taken: set[int], preferred: int) -> int | None:
        chairs = [c for c in self.chairs[self.half_days[index].clinic_id] if c not in taken]
        if preferred in chairs:
            return preferred
        return chairs[0] if chairs else None

    def _build_slots(self) -> None:
        by_slot: dict[tuple[int, dt.date, str], list[int]] = defaultdict(list)
        for doctor, allowed in enumerate(self.eligible):
            for index in sorted(allowed):
                h = self.half_days[index]
                by_slot[(doctor, h.date, h.part)].append(index)
        self.slots: list[Slot] = [
            Slot(doctor, date, part, tuple(domain))
            for (doctor, date, part), domain in sorted(
                by_slot.items(),
                key=lambda kv: (
                    kv[0][0],
                    kv[0][1],
                    PARTS.index(kv[0][2]) if kv[0][2] in PARTS else 9,
                ),
            )
        ]
        self.slot_of: dict[tuple[int, int], int] = {}
        for s, slot in enumerate(self.slots):
            for index in slot.domain:
                self.slot_of[(slot.doctor, index)] = s
        # A pinned half-day fixes its slot.
        self.fixed: dict[int, int] = {self.slot_of[key]: key[1] for key in self.pinned}

    def _build_contracts(self) -> None:
        """Contract minutes per doctor and week, prorated for the days the doctor cannot work."""
        weeks = self.instance.weeks
        self.contract: list[list[float]] = []
        for doctor, d in enumerate(self.doctors):
            open_days: list[set[dt.date]] = [set() for _ in range(weeks)]
            able_days: list[set[dt.date]] = [set() for _ in range(weeks)]
            for index, h in enumerate(self.half_days):
                if h.clinic_id in d.clinic_ids:
                    open_days[self.week[index]].add(h.date)
                if index in self.eligible[doctor]:
                    able_days[self.week[index]].add(h.date)
            self.contract.append(
                [
                    d.contract_hours_per_week * 60 * len(able_days[w]) / len(open_days[w])
                    if open_days[w]
                    else 0.0
                    for w in range(weeks)
                ]
            )

    # -- legality of one doctor's set of half-days ---------------------------------------------
    def _build_conflicts(self) -> None:
        """Pairs of half-days one doctor cannot both work: they overlap, or the later one
        starts too soon after the earlier one on another date."""
        self.conflicts: list[set[int]] = [set() for _ in self.half_days]
        order = sorted(range(len(self.half_days)), key=lambda i: self.half_days[i].start)
        for k, a in enumerate(order):
            ha = self.half_days[a]
            for b in order[k + 1 :]:
                hb = self.half_days[b]
                if hb.start - ha.end >= self.rest:
                    break
                if hb.start < ha.end or hb.date != ha.date:
                    self.conflicts[a].add(b)
                    self.conflicts[b].add(a)

    def fits(self, doctor: int, chosen: Iterable[int], candidate: int) -> bool:
        """Whether the doctor, working ``chosen``, may also work ``candidate`` (time, rest, hours)."""
        d = self.doctors[doctor]
        h = self.half_days[candidate]
        day = self.minutes[candidate]
        week = self.minutes[candidate]
        for index in chosen:
            if index == candidate:
                return False
            other = self.half_days[index]
            if other.start < h.end and h.start < other.end:
                return False
            if other.date == h.date:
                day += self.minutes[index]
            elif (other.date < h.date and h.start - other.end < self.rest) or (
                other.date > h.date and other.start - h.end < self.rest
            ):
                return False
            if self.week[index] == self.week[candidate]:
                week += self.minutes[index]
        return day <= d.max_hours_per_day * 60 + 1e-6 and week <= d.max_hours_per_week * 60 + 1e-6

    # -- objectives ----------------------------------------------------------------------------
    def half_day_value(self, index: int, working: tuple[int, ...]) -> tuple[float, int]:
        """(unmet demand minutes times urgency, buffer minutes kept) at one half-day.

        The emergency buffer is kept first; then demand is served heaviest first. Served
        minutes follow the greedy of a polymatroid (a doctor's free minutes go to any of their
        skills), which is optimal for this order: each class gets the rank gain
        rank(classes so far) - rank(classes before), the rank being a max flow, computed as the
        least cut over the sets of skills.
        """
        key = (index, working)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        target = self.instance.emergency_buffer_minutes
        classes = ([(BUFFER, 0.0, target)] if target > 0 else []) + self.classes[index]
        if not classes:
            return (0.0, 0)
        skills = sorted({c[0] for c in classes})
        bit = {s: 1 << i for i, s in enumerate(skills)}
        full = (1 << len(skills)) - 1
        supply = [0] * (full + 1)
        for doctor in working:
            free = max(0, self.minutes[index] - self.booked.get((doctor, index), 0))
            if not free:
                continue
            mask = 0
            for s in skills:
                if s == BUFFER or s in self.doctors[doctor].skills:
                    mask |= bit[s]
            if not mask:
                continue
            for subset in range(1, full + 1):
                if subset & mask:
                    supply[subset] += free
        cut = supply[:]  # cut[B] = demand outside B (so far) + supply of doctors touching B
        rank = 0
        unmet = 0.0
        kept = 0
        for skill, weight, minutes in classes:
            b = bit[skill]
            new_rank = None
            for subset in range(full + 1):
                if not subset & b:
                    cut[subset] += minutes
                if new_rank is None or cut[subset] < new_rank:
                    new_rank = cut[subset]
            served = new_rank - rank
            rank = new_rank
            if skill == BUFFER:
                kept = served
            else:
                unmet += weight * (minutes - served)
        value = (unmet, kept)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = value
        return value

    def objectives(self, worked: list[list[int]]) -> Objectives:
        """The objectives of a roster given as, per doctor, the half-day indexes worked."""
        return Objectives(*self.objective_values(worked))

    def objective_values(self, worked: list[list[int]]) -> tuple[float, float, float, int, int]:
        at: dict[int, list[int]] = defaultdict(list)
        overtime = 0.0
        deviations = []
        preferences = 0
        weeks = self.instance.weeks
        for doctor, indexes in enumerate(worked):
            d = self.doctors[doctor]
            per_week = [0] * weeks
            days_off_worked = set()
            for index in indexes:
                at[index].append(doctor)
                per_week[self.week[index]] += self.minutes[index]
                h = self.half_days[index]
                if h.date in d.preferred_days_off:
                    days_off_worked.add(h.date)
                if d.preferred_clinic_id is not None and h.clinic_id != d.preferred_clinic_id:
                    preferences += 1
            preferences += len(days_off_worked)
            contract = self.contract[doctor]
            overtime += sum(max(0.0, per_week[w] - contract[w]) for w in range(weeks))
            deviations.append(sum(per_week) - sum(contract))
        unmet = 0.0
        kept = 0
        for index in range(len(self.half_days)):
            u, k = self.half_day_value(index, tuple(sorted(at.get(index, ()))))
            unmet += u
            kept += k
        imbalance = (max(deviations) - min(deviations)) if deviations else 0.0
        return (
            round(unmet, 2),
            round(imbalance / 60, 2),
            round(overtime / 60, 2),
            preferences,
            int(kept),
        )

    @property
    def buffer_target(self) -> int:
        return self.instance.emergency_buffer_minutes * len(self.half_days)

    # -- to and from shifts ----------------------------------------------------------------------
    def to_shifts(self, worked: list[list[int]]) -> tuple[Shift, ...]:
        """Shifts with chairs: pinned doctors keep the chair their pin took, others take the
        free chairs in order."""
        at: dict[int, list[int]] = defaultdict(list)
        for doctor, indexes in enumerate(worked):
            for index in indexes:
                at[index].append(doctor)
        shifts = []
        for index, doctors in at.items():
            h = self.half_days[index]
            taken = {self.pinned[(d, index)] for d in doctors if (d, index) in self.pinned}
            free = [c for c in self.chairs[h.clinic_id] if c not in taken]
            for doctor in sorted(doctors, key=lambda d: ((d, index) not in self.pinned, d)):
                chair = self.pinned.get((doctor, index))
                if chair is None:
                    if not free:
                        raise ValueError("more doctors than chairs")
                    chair = free.pop(0)
                shifts.append(Shift(self.doctors[doctor].id, h.clinic_id, chair, h.start, h.end))
        return tuple(sorted(shifts, key=lambda s: (s.start, s.clinic_id, s.chair_id, s.doctor_id)))

    def from_shifts(self, shifts: Iterable[Shift]) -> list[list[int]]:
        worked: list[list[int]] = [[] for _ in self.doctors]
        for shift in shifts:
            index = self.half_day_index.get((shift.clinic_id, shift.start, shift.end))
            doctor = self.doctor_index.get(shift.doctor_id)
            if index is None or doctor is None:
                raise ValueError(f"shift {shift} is not a half-day of a known doctor")
            worked[doctor].append(index)
        return worked


def evaluate(instance: Instance, shifts: Iterable[Shift]) -> Objectives:
    """The objectives of any roster of whole half-days of the instance."""
    compiled = Compiled(instance)
    return compiled.objectives(compiled.from_shifts(shifts))


class Plan:
    """One doctor's half-days with their minutes per day and week: fast legality checks."""

    __slots__ = ("c", "chosen", "day", "doctor", "max_day", "max_week", "week")

    def __init__(self, compiled: Compiled, doctor: int):
        self.c = compiled
        self.doctor = doctor
        self.chosen: set[int] = set()
        self.day: dict[dt.date, int] = defaultdict(int)
        self.week: dict[int, int] = defaultdict(int)
        d = compiled.doctors[doctor]
        self.max_day = d.max_hours_per_day * 60 + 1e-6
        self.max_week = d.max_hours_per_week * 60 + 1e-6

    def can_add(self, index: int) -> bool:
        c = self.c
        minutes = c.minutes[index]
        return (
            index not in self.chosen
            and self.day[c.date_of[index]] + minutes <= self.max_day
            and self.week[c.week[index]] + minutes <= self.max_week
            and c.conflicts[index].isdisjoint(self.chosen)
        )

    def add(self, index: int) -> None:
        c = self.c
        self.chosen.add(index)
        self.day[c.date_of[index]] += c.minutes[index]
        self.week[c.week[index]] += c.minutes[index]

    def remove(self, index: int) -> None:
        c = self.c
        self.chosen.discard(index)
        self.day[c.date_of[index]] -= c.minutes[index]
        self.week[c.week[index]] -= c.minutes[index]
