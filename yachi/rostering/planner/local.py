"""Local search under a weighted sum of the objectives: the memetic half of the optimizer.

From a feasible roster, random moves (a shift added, one taken away, a half-day handed from one
doctor to another, a doctor's shift moved to another half-day, a doctor's day cleared, two
doctors trading half-days, the most loaded doctor handing a half-day to the least loaded)
are kept when they keep every hard constraint and lower the weighted sum, or leave it as it
is and bring the doctors they touch nearer the mean load (such sideways moves let the search
cross the plateaus of the max-minus-min imbalance). The change of each objective is computed from what
the move touches (the half-days, the doctor's weeks and days) so that a move costs microseconds,
not a whole evaluation.
"""

from __future__ import annotations

import bisect
import time
from collections import defaultdict

import numpy as np

from yachi.rostering.planner.compiled import Compiled, Plan


class State:
    def __init__(self, roster, x: np.ndarray):
        self.roster = roster
        c: Compiled = roster.c
        self.c = c
        self.plans: list[Plan] = []
        self.at: dict[int, set[int]] = defaultdict(set)
        for doctor in range(len(c.doctors)):
            self.plans.append(Plan(c, doctor))
        for s in np.nonzero(x)[0]:
            slot = c.slots[s]
            index = slot.domain[x[s] - 1]
            self.plans[slot.doctor].add(index)
            self.at[index].add(slot.doctor)
        self.contract_total = [sum(week) for week in c.contract]
        self.deviation = [
            sum(c.minutes[i] for i in plan.chosen) - self.contract_total[d]
            for d, plan in enumerate(self.plans)
        ]
        self.deviation_sum = sum(self.deviation)
        self.order = sorted((value, d) for d, value in enumerate(self.deviation))
        self.on_date: list[dict] = [defaultdict(int) for _ in c.doctors]
        for d, plan in enumerate(self.plans):
            for i in plan.chosen:
                self.on_date[d][c.date_of[i]] += 1
        self.value = {
            i: c.half_day_value(i, tuple(sorted(self.at[i]))) for i in range(len(c.half_days))
        }

    # -- what a change does to the objectives ----------------------------------------------------
    def delta(self, changes: list[tuple[int, int, int]], weights) -> float:
        """Weighted change of the objectives for ``changes`` of (doctor, half-day, +1 or -1)."""
        c = self.c
        minutes_of, week_of, date_of = c.minutes, c.week, c.date_of
        away = self.roster.away
        w_unmet, w_imbalance, w_overtime, w_preference, w_buffer = weights
        total = 0.0
        by_index: dict[int, set[int]] = {}
        week_change: dict[tuple[int, int], int] = {}
        date_change: dict[tuple[int, object], int] = {}
        deviation_change: dict[int, int] = {}
        preference = 0
        for doctor, index, sign in changes:
            here = by_index.get(index)
            if here is None:
                here = by_index[index] = set(self.at[index])
            if sign > 0:
                here.add(doctor)
            else:
                here.discard(doctor)
            minutes = minutes_of[index] * sign
            key = (doctor, week_of[index])
            week_change[key] = week_change.get(key, 0) + minutes
            key = (doctor, date_of[index])
            date_change[key] = date_change.get(key, 0) + sign
            deviation_change[doctor] = deviation_change.get(doctor, 0) + minutes
            if (doctor, index) in away:
                preference += sign
        value = self.value
        for index, here in by_index.items():
            u0, k0 = value[index]
            u1, k1 = c.half_day_value(index, tuple(sorted(here)))
            total += w_unmet * (u1 - u0) - w_buffer * (k1 - k0)
        overtime = 0.0
        plans, contract = self.plans, c.contract
        for (doctor, week), change in week_change.items():
            before = plans[doctor].week[week]
            limit = contract[doctor][week]
            overtime += max(0.0, before + change - limit) - max(0.0, before - limit)
        total += w_overtime * overtime / 60
        doctors, on_date = c.doctors, self.on_date
        for (doctor, date), change in date_change.items():
            if date in doctors[doctor].preferred_days_off:
                before = on_date[doctor][date]
                preference += (before + change > 0) - (before > 0)
        total += w_preference * preference
        old = self.deviation
        # A guide across the plateaus of max minus min: the change of the squared distances
        # from the mean of the doctors touched; a sideways move is kept only if it does not
        # raise it.
        mean = self.deviation_sum / len(old)
        self.guide = sum(
            (old[d] + change - mean) ** 2 - (old[d] - mean) ** 2
            for d, change in deviation_change.items()
        )
        total += w_imbalance * (self.spread_after(deviation_change) - self.spread()) / 60
        return total

    def spread(self) -> float:
        """The imbalance: the most minus the least loaded doctor's deviation, in minutes."""
        order = self.order
        return order[-1][0] - order[0][0] if order else 0.0

    def spread_after(self, change: dict[int, int]) -> float:
        """The spread once the doctors of ``change`` have their deviation changed by it."""
        old = self.deviation
        moved = [old[d] + delta for d, delta in change.items()]
        high, low = max(moved), min(moved)
        for value, doctor in reversed(self.order):
            if doctor not in change:
                high = max(high, value)
                break
        for value, doctor in self.order:
            if doctor not in change:
                low = min(low, value)
                break
        return high - low

    def apply(self, changes: list[tuple[int, int, int]]) -> None:
        c = self.c
        touched = set()
        for doctor, index, sign in changes:
            if sign > 0:
                self.plans[doctor].add(index)
                self.at[index].add(doctor)
            else:
                self.plans[doctor].remove(index)
                self.at[index].discard(doctor)
            self.on_date[doctor][c.date_of[index]] += sign
            value = self.deviation[doctor]
            self.order.pop(bisect.bisect_left(self.order, (value, doctor)))
            value += c.minutes[index] * sign
            self.deviation[doctor] = value
            self.deviation_sum += c.minutes[index] * sign
            bisect.insort(self.order, (value, doctor))
            touched.add(index)
        for index in touched:
            self.value[index] = c.half_day_value(index, tuple(sorted(self.at[index])))

    # -- legality ----------------------------------------------------------------------------------
    def needed(self, doctor: int, index: int, replacement: int | None = None) -> bool:
        """Whether the doctor leaving ``index`` (``replacement`` coming) leaves a needed skill missing."""
        c = self.c
        for skill in self.roster.requirements_at.get(index, ()):
            if skill not in c.doctors[doctor].skills:
                continue
            if replacement is not None and skill in c.doctors[replacement].skills:
                continue
            if not any(skill in c.doctors[d].skills for d in self.at[index] if d != doctor):
                return True
        return False

    def genome(self) -> np.ndarray:
        c = self.c
        x = np.zeros(len(c.slots), dtype=int)
        for doctor, plan in enumerate(self.plans):
            for index in plan.chosen:
                s = c.slot_of[(doctor, index)]
                x[s] = c.slots[s].domain.index(index) + 1
        return x


def improve(
    roster,
    x: np.ndarray,
    weights,
    moves: int,
    rng: np.random.Generator,
    deadline: float | None = None,
) -> np.ndarray:
    """``x`` after up to ``moves`` random moves, each kept only if it does not raise the weighted sum."""
    c: Compiled = roster.c
    state = State(roster, x)
    pairs = list(c.slot_of)  # (doctor, half-day) the doctor may work
    if not pairs:
        return x
    room = roster.room
    improved = False
    for kind, pick, other in _draws(rng, moves, len(pairs), deadline):
        doctor, index = pairs[pick]
        plan = state.plans[doctor]
        working = index in plan.chosen
        changes = None
        if kind == 0 and not working:  # add
            if plan.can_add(index) and len(state.at[index]) < room[index]:
                changes = [(doctor, index, 1)]
        elif kind == 1 and working:  # take away
            if (doctor, index) not in c.pinned and not state.needed(doctor, index):
                changes = [(doctor, index, -1)]
        elif kind == 2 and working:  # hand the half-day to another doctor
            if (doctor, index) in c.pinned:
                continue
            candidates = [d for d in c.doctors_at[index] if d not in state.at[index]]
            if not candidates:
                continue
            taker = candidates[other % len(candidates)]
            if state.plans[taker].can_add(index) and not state.needed(doctor, index, taker):
                changes = [(doctor, index, -1), (taker, index, 1)]
        elif kind == 3 and working:  # move the doctor's shift to another half-day
            if (doctor, index) in c.pinned or state.needed(doctor, index):
                continue
            mine = c.eligible_list[doctor]
            target = mine[other % len(mine)]
            if target == index or target in plan.chosen or len(state.at[target]) >= room[target]:
                continue
            plan.remove(index)
            fits = plan.can_add(target)
            plan.add(index)
            if fits:
                changes = [(doctor, index, -1), (doctor, target, 1)]
        elif kind == 4 and working:  # clear the doctor's day: each shift to another doctor, or none
            date = c.date_of[index]
            day = [i for i in plan.chosen if c.date_of[i] == date]
            if any((doctor, i) in c.pinned for i in day):
                continue
            changes = []
            for k, i in enumerate(day):
                candidates = [
                    d for d in c.doctors_at[i] if d not in state.at[i] and state.plans[d].can_add(i)
                ]
                taker = candidates[(other + k) % len(candidates)] if candidates else None
                if state.needed(doctor, i, taker):
                    changes = None
                    break
                changes.append((doctor, i, -1))
                if taker is not None and (other >> 3) % 2:
                    changes.append((taker, i, 1))
            if changes and len({d for d, _i, sign in changes if sign > 0}) < sum(
                1 for ch in changes if ch[2] > 0
            ):
                changes = None  # one taker twice: keep it simple, skip
        elif kind == 5 and working:  # two doctors trade half-days
            if (doctor, index) in c.pinned:
                continue
            mine = c.doctors_at[index]
            partner = mine[other % len(mine)]
            if partner == doctor or partner in state.at[index]:
                continue
            theirs = [
                i
                for i in state.plans[partner].chosen
                if doctor in c.doctors_at[i] and doctor not in state.at[i]
            ]
            if not theirs:
                continue
            target = theirs[(other >> 4) % len(theirs)]
            if (partner, target) in c.pinned:
                continue
            if state.needed(doctor, index, partner) or state.needed(partner, target, doctor):
                continue
            ours, their_plan = plan, state.plans[partner]
            ours.remove(index)
            their_plan.remove(target)
            fits = ours.can_add(target) and their_plan.can_add(index)
            ours.add(index)
            their_plan.add(target)
            if fits:
                changes = [
                    (doctor, index, -1),
                    (partner, target, -1),
                    (doctor, target, 1),
                    (partner, index, 1),
                ]
        elif kind == 6:  # the most loaded doctor hands a half-day to the least loaded
            deviation = state.deviation
            doctor = max(range(len(deviation)), key=deviation.__getitem__)
            taker = min(range(len(deviation)), key=deviation.__getitem__)
            mine = [
                i
                for i in state.plans[doctor].chosen
                if (doctor, i) not in c.pinned and taker in c.doctors_at[i]
            ]
            if doctor == taker or not mine:
                continue
            index = sorted(mine)[other % len(mine)]
            if (
                taker not in state.at[index]
                and state.plans[taker].can_add(index)
                and not state.needed(doctor, index, taker)
            ):
                changes = [(doctor, index, -1), (taker, index, 1)]
        if not changes:
            continue
        change = state.delta(changes, weights)
        if change < -1e-9 or (change <= 1e-9 and state.guide <= 1e-9):
            state.apply(changes)
            improved = True
    return state.genome() if improved else x


def _draws(rng: np.random.Generator, moves: int, pairs: int, deadline: float | None):
    """Random (kind, pair, other) triples, drawn in blocks, until ``moves`` or the deadline."""
    block = 1024
    while moves > 0:
        if deadline is not None and time.monotonic() > deadline:
            return
        size = min(block, moves)
        moves -= size
        yield from zip(
            rng.integers(0, 7, size=size).tolist(),
            rng.integers(0, pairs, size=size).tolist(),
            rng.integers(0, 1 << 30, size=size).tolist(),
            strict=True,
        )
