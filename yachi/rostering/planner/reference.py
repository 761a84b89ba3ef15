"""The reference the optimizer is measured against: the same instance as one CP-SAT model
(OR-Tools), minimising the weighted sum of the objectives, or one objective first.

Same hard constraints and the same shifts pinned by booked appointments as NSGA-II; the demand
a roster serves is modelled by the cut conditions of the half-day's transport problem (for
every set of skills, the minutes served in them are at most the free minutes of the doctors who
have one of them), so the model may share a doctor's time between skills as it likes. The
roster it returns is then scored by the same ``Compiled.objectives`` as NSGA-II's.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from yachi.rostering.planner.compiled import BUFFER, WEIGHTS, Compiled
from yachi.rostering.planner.model import Instance, Objectives, Shift


@dataclass(frozen=True)
class Reference:
    status: str  # "optimal", "feasible" (best within the time limit) or "infeasible"
    seconds: float
    objectives: Objectives | None
    shifts: tuple[Shift, ...]
    weighted: float | None  # the weighted sum of ``objectives``


def weighted_sum(values) -> float:
    return sum(w * v for w, v in zip(WEIGHTS, values, strict=True))


def minimisation(objectives: Objectives, compiled: Compiled) -> tuple[float, ...]:
    o = objectives
    return (
        o.unmet_demand_minutes,
        o.imbalance_hours,
        o.overtime_hours,
        o.preference_violations,
        compiled.buffer_target - o.emergency_buffer_minutes,
    )


def solve_reference(
    instance: Instance,
    *,
    first: int | None = None,
    time_limit_seconds: float = 10.0,
    workers: int = 2,
    seed: int = 0,
) -> Reference:
    """Minimise the weighted sum (``first=None``), or objective number ``first`` (in the order
    of ``Objectives.NAMES``) with the weighted sum breaking ties."""
    started = time.monotonic()
    c = Compiled(instance)
    m = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for d, allowed in enumerate(c.eligible):
        for i in sorted(allowed):
            x[(d, i)] = m.new_bool_var(f"x{d}_{i}")
    for d, i in c.pinned:
        m.add(x[(d, i)] == 1)

    for d, doctor in enumerate(c.doctors):
        mine = sorted(i for (k, i) in x if k == d)
        for a, b in itertools.combinations(mine, 2):
            ha, hb = c.half_days[a], c.half_days[b]
            clash = ha.start < hb.end and hb.start < ha.end
            if ha.date != hb.date:
                early, late = (ha, hb) if ha.date < hb.date else (hb, ha)
                clash = clash or late.start - early.end < c.rest
            if clash:
                m.add(x[(d, a)] + x[(d, b)] <= 1)
        per_day: dict = defaultdict(list)
        per_week: dict = defaultdict(list)
        for i in mine:
            per_day[c.half_days[i].date].append(i)
            per_week[c.week[i]].append(i)
        for indexes in per_day.values():
            m.add(
                sum(c.minutes[i] * x[(d, i)] for i in indexes) <= int(doctor.max_hours_per_day * 60)
            )
        for indexes in per_week.values():
            m.add(
                sum(c.minutes[i] * x[(d, i)] for i in indexes)
                <= int(doctor.max_hours_per_week * 60)
            )

    at: dict[int, list[int]] = defaultdict(list)
    for d, i in x:
        at[i].append(d)
    for i, h in enumerate(c.half_days):
        if at[i]:
            m.add(sum(x[(d, i)] for d in at[i]) <= len(c.chairs[h.clinic_id]))
    for i, skill in c.requirements:
        m.add(sum(x[(d, i)] for d in at[i] if skill in c.doctors[d].skills) >= 1)

    # Served demand and the buffer kept, per half-day.
    unmet_terms = []
    shortfall_terms = []
    target = instance.emergency_buffer_minutes
    for i in range(len(c.half_days)):
        classes = ([(BUFFER, 0.0, target)] if target > 0 else []) + c.classes[i]
        if not classes:
            continue
        served = [
            m.new_int_var(0, minutes, f"s{i}_{k}") for k, (_s, _w, minutes) in enumerate(classes)
        ]
        skills = sorted({s for s, _w, _m in classes})
        for size in range(1, len(skills) + 1):
            for subset in itertools.combinations(skills, size):
                chosen = set(subset)
                supply = [
                    max(0, c.minutes[i] - c.booked.get((d, i), 0)) * x[(d, i)]
                    for d in at[i]
                    if BUFFER in chosen or chosen & c.doctors[d].skills
                ]
                m.add(
                    sum(v for v, cl in zip(served, classes, strict=True) if cl[0] in chosen)
                    <= sum(supply)
                )
        for v, (skill, weight, minutes) in zip(served, classes, strict=True):
            if skill == BUFFER:
                shortfall_terms.append(minutes - v)
            else:
                unmet_terms.append(round(10 * weight) * (minutes - v))

    worked = {}
    deviations = []
    overtime_terms = []
    preference_terms = []
    for d, doctor in enumerate(c.doctors):
        mine = [i for (k, i) in x if k == d]
        worked[d] = sum(c.minutes[i] * x[(d, i)] for i in mine)
        deviations.append(worked[d] - round(sum(c.contract[d])))
        for w in range(instance.weeks):
            week = [i for i in mine if c.week[i] == w]
            if not week:
                continue
            o = m.new_int_var(0, 7 * 24 * 60, f"o{d}_{w}")
            m.add(o >= sum(c.minutes[i] * x[(d, i)] for i in week) - round(c.contract[d][w]))
            overtime_terms.append(o)
        by_date: dict = defaultdict(list)
        for i in mine:
            h = c.half_days[i]
            if h.date in doctor.preferred_days_off:
                by_date[h.date].append(i)
            if doctor.preferred_clinic_id is not None and h.clinic_id != doctor.preferred_clinic_id:
                preference_terms.append(x[(d, i)])
        for date, indexes in by_date.items():
            y = m.new_bool_var(f"y{d}_{date}")
            for i in indexes:
                m.add(y >= x[(d, i)])
            preference_terms.append(y)
    span = 14 * 24 * 60 * max(1, instance.weeks)
    top = m.new_int_var(-span, span, "top")
    bottom = m.new_int_var(-span, span, "bottom")
    for deviation in deviations:
        m.add(top >= deviation)
        m.add(bottom <= deviation)

    # In sixtieths: unmet (in tenths, so x6), imbalance and overtime (minutes), preferences, buffer.
    terms = [
        sum(unmet_terms) * 6,
        (top - bottom) * round(WEIGHTS[1]),
        sum(overtime_terms) * round(WEIGHTS[2]),
        sum(preference_terms) * round(WEIGHTS[3] * 60),
        sum(shortfall_terms) * round(WEIGHTS[4] * 60),
    ]
    weighted = sum(terms)
    if first is None:
        m.minimize(weighted)
    else:
        alone = [
            sum(unmet_terms),
            top - bottom,
            sum(overtime_terms),
            sum(preference_terms),
            sum(shortfall_terms),
        ]
        m.minimize(alone[first] * 1_000_000 + weighted)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(
        0.1, time_limit_seconds - (time.monotonic() - started)
    )
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(m)
    seconds = time.monotonic() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Reference(
            "infeasible" if status == cp_model.INFEASIBLE else "unknown", seconds, None, (), None
        )
    rostered: list[list[int]] = [[] for _ in c.doctors]
    for (d, i), var in x.items():
        if solver.value(var):
            rostered[d].append(i)
    objectives = c.objectives(rostered)
    return Reference(
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        seconds,
        objectives,
        c.to_shifts(rostered),
        weighted_sum(minimisation(objectives, c)),
    )
