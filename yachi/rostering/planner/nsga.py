"""NSGA-II over rosters: an encoding that makes most rules hold by construction, and a repair
that makes every individual feasible before it is evaluated.

Encoding: one integer gene per (doctor, date, part of the day) the doctor could work at all;
0 is "off", k is the k-th half-day of that part the doctor may work (one per clinic of theirs
open then). Availability, leave and clinics hold by construction; so does "one half-day per
part". The repair then, in order: puts back the shifts that booked appointments pin; drops a
doctor's shifts that overlap, leave too little rest, or pass the day's or week's hours (pinned
first, the others in a seeded random order); drops doctors beyond a half-day's chairs; and adds
a doctor of each skill the forecast needs where one is missing, freeing them from another shift
when that is what stands in the way. An individual the repair cannot complete keeps a
constraint violation, so NSGA-II ranks it behind every feasible one; none is ever returned.
"""

from __future__ import annotations

import heapq
import time
from collections import Counter, defaultdict

import numpy as np
from pymoo.algorithms.moo.nsga2 import NSGA2
from pymoo.core.crossover import Crossover
from pymoo.core.mutation import Mutation
from pymoo.core.problem import Problem
from pymoo.core.repair import Repair
from pymoo.core.sampling import Sampling
from pymoo.optimize import minimize
from pymoo.termination.collection import TerminationCollection
from pymoo.termination.max_gen import MaximumGenerationTermination
from pymoo.termination.max_time import TimeBasedTermination
from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

from yachi.rostering.planner.check import check
from yachi.rostering.planner.compiled import WEIGHTS, Compiled, Plan
from yachi.rostering.planner.local import improve
from yachi.rostering.planner.model import InfeasibleInstance, Instance, Objectives, Option
from yachi.rostering.planner.polish import AIMED, aim, cover, polish


class Roster:
    """The genome and its repair for one compiled instance."""

    def __init__(self, compiled: Compiled, rng: np.random.Generator):
        self.c = compiled
        self.rng = rng
        self.n = len(compiled.slots)
        self.upper = np.array([len(slot.domain) for slot in compiled.slots], dtype=int)
        self.by_doctor: list[list[int]] = [[] for _ in compiled.doctors]
        for s, slot in enumerate(compiled.slots):
            self.by_doctor[slot.doctor].append(s)
        self.doctor_bounds = []
        for slots in self.by_doctor:
            self.doctor_bounds.append((slots[0], slots[-1] + 1) if slots else (0, 0))
        self.fixed_value = {
            s: compiled.slots[s].domain.index(index) + 1 for s, index in compiled.fixed.items()
        }
        self.room = [len(compiled.chairs[h.clinic_id]) for h in compiled.half_days]
        self.failed: Counter = Counter()  # needed skills the repair could not place, and how often
        # (doctor, half-day) away from the doctor's preferred clinic: a wish broken.
        self.away: set[tuple[int, int]] = {
            (d, i)
            for (d, i) in compiled.slot_of
            if compiled.doctors[d].preferred_clinic_id is not None
            and compiled.half_days[i].clinic_id != compiled.doctors[d].preferred_clinic_id
        }
        self.requirements_at: dict[int, list[str]] = defaultdict(list)
        for index, skill in compiled.requirements:
            self.requirements_at[index].append(skill)

    def index_of(self, s: int, value: int) -> int | None:
        return self.c.slots[s].domain[value - 1] if value else None

    def worked(self, x: np.ndarray) -> list[list[int]]:
        worked: list[list[int]] = [[] for _ in self.c.doctors]
        for s in np.nonzero(x)[0]:
            worked[self.c.slots[s].doctor].append(self.c.slots[s].domain[x[s] - 1])
        return worked

    def repair(self, x: np.ndarray) -> tuple[np.ndarray, int]:
        """A feasible genome near ``x``, and how many needed skills it still misses (0 mostly)."""
        c = self.c
        x = x.copy()
        for s, value in self.fixed_value.items():
            x[s] = value
        # Each doctor on their own: time, rest and hours; pinned shifts first.
        plans: list[Plan] = []
        for doctor, slots in enumerate(self.by_doctor):
            plan = Plan(c, doctor)
            others = []
            for s in slots:
                if s in self.fixed_value:
                    plan.add(c.slots[s].domain[x[s] - 1])
                elif x[s]:
                    others.append(s)
            for s in self.rng.permutation(others) if others else ():
                index = c.slots[s].domain[x[s] - 1]
                if plan.can_add(index):
                    plan.add(index)
                else:
                    x[s] = 0
            plans.append(plan)
        # Chairs: no more doctors at a half-day than it has chairs.
        at: dict[int, list[int]] = defaultdict(list)
        for doctor, plan in enumerate(plans):
            for index in plan.chosen:
                at[index].append(doctor)
        for index, doctors in at.items():
            room = self.room[index]
            if len(doctors) <= room:
                continue
            loose = [d for d in doctors if (d, index) not in c.pinned]
            self.rng.shuffle(loose)
            for doctor in loose[: len(doctors) - room]:
                self._drop(x, plans, at, doctor, index)
        # Skills the forecast needs.
        missing = 0
        for index, skill in c.requirements:
            if any(skill in c.doctors[d].skills for d in at.get(index, ())):
                continue
            if not self._add_skill(x, plans, at, index, skill):
                missing += 1
                self.failed[(index, skill)] += 1
        self.plans, self.at = plans, at
        return x, missing

    def _drop(self, x, plans, at, doctor: int, index: int) -> None:
        x[self.c.slot_of[(doctor, index)]] = 0
        plans[doctor].remove(index)
        at[index].remove(doctor)

    def _put(self, x, plans, at, doctor: int, index: int) -> None:
        s = self.c.slot_of[(doctor, index)]
        x[s] = self.c.slots[s].domain.index(index) + 1
        plans[doctor].add(index)
        at[index].append(doctor)

    def _covers_needed(self, at, doctor: int, index: int) -> bool:
        """Whether taking the doctor away from ``index`` would leave a needed skill missing there."""
        for skill in self.requirements_at.get(index, ()):
            if skill in self.c.doctors[doctor].skills and not any(
                skill in self.c.doctors[d].skills for d in at[index] if d != doctor
            ):
                return True
        return False

    def _add_skill(self, x, plans, at, index: int, skill: str) -> bool:
        c = self.c
        candidates = [
            d
            for d, doctor in enumerate(c.doctors)
            if skill in doctor.skills and index in c.eligible[d] and d not in at.get(index, ())
        ]
        if not candidates:
            return False
        order = self.rng.permutation(len(candidates))
        for attempt in (0, 1):
            for k in order:
                doctor = candidates[k]
                s = c.slot_of[(doctor, index)]
                if s in self.fixed_value:
                    continue
                plan = plans[doctor]
                current = self.index_of(s, x[s])
                if current is not None:
                    if self._covers_needed(at, doctor, current):
                        continue
                    plan.remove(current)
                freed = None
                if not plan.can_add(index):
                    if attempt == 1:
                        # Free the doctor from one other shift that is not pinned nor needed.
                        near = sorted(
                            plan.chosen, key=lambda i: abs((c.date_of[i] - c.date_of[index]).days)
                        )
                        for other in near:
                            if (doctor, other) in c.pinned or self._covers_needed(
                                at, doctor, other
                            ):
                                continue
                            plan.remove(other)
                            fits = plan.can_add(index)
                            plan.add(other)
                            if fits:
                                freed = other
                                break
                    if freed is None:
                        if current is not None:
                            plan.add(current)
                        continue
                bump = None
                if len(at.get(index, ())) >= self.room[index]:
                    bump = next(
                        (
                            d
                            for d in at[index]
                            if (d, index) not in c.pinned and not self._covers_needed(at, d, index)
                        ),
                        None,
                    )
                    if bump is None:
                        if current is not None:
                            plan.add(current)
                        return False
                if current is not None:
                    plan.add(current)
                    self._drop(x, plans, at, doctor, current)
                if freed is not None:
                    self._drop(x, plans, at, doctor, freed)
                if bump is not None:
                    self._drop(x, plans, at, bump, index)
                self._put(x, plans, at, doctor, index)
                return True
        return False

    def greedy(self, weights) -> np.ndarray:
        """A roster built by adding, best first, the shift that lowers the weighted objectives
        most (a lazy greedy: a move's gain only shrinks as others are made)."""
        c = self.c
        x, _missing = self.repair(np.zeros(self.n, dtype=int))
        plans, at = self.plans, self.at
        w_unmet, w_imbalance, w_overtime, w_preference, w_buffer = weights
        worked = [sum(c.minutes[i] for i in plan.chosen) for plan in plans]
        contract = [sum(week) for week in c.contract]
        days_worked = [{c.date_of[i] for i in plan.chosen} for plan in plans]

        def delta(doctor: int, index: int) -> float:
            here = tuple(sorted(at.get(index, ())))
            u0, k0 = c.half_day_value(index, here)
            u1, k1 = c.half_day_value(index, tuple(sorted((*here, doctor))))
            minutes = c.minutes[index]
            week = plans[doctor].week[c.week[index]]
            limit = c.contract[doctor][c.week[index]]
            overtime = max(0.0, week + minutes - limit) - max(0.0, week - limit)
            before = worked[doctor] - contract[doctor]
            d = c.doctors[doctor]
            preference = 0
            if (
                c.date_of[index] in d.preferred_days_off
                and c.date_of[index] not in days_worked[doctor]
            ):
                preference += 1
            if (
                d.preferred_clinic_id is not None
                and c.half_days[index].clinic_id != d.preferred_clinic_id
            ):
                preference += 1
            return (
                w_unmet * (u1 - u0)
                - w_buffer * (k1 - k0)
                + w_overtime * overtime / 60
                + w_imbalance * (abs(before + minutes) - abs(before)) / 60
                + w_preference * preference
            )

        heap = []
        for (doctor, index), _s in c.slot_of.items():
            if plans[doctor].can_add(index) and len(at.get(index, ())) < self.room[index]:
                gain = delta(doctor, index)
                if gain < 0:
                    heap.append((gain, doctor, index))
        heapq.heapify(heap)
        while heap:
            _gain, doctor, index = heapq.heappop(heap)
            s = c.slot_of[(doctor, index)]
            if (
                x[s]
                or not plans[doctor].can_add(index)
                or len(at.get(index, ())) >= self.room[index]
            ):
                continue
            gain = delta(doctor, index)
            if gain >= 0:
                continue
            if heap and gain > heap[0][0] + 1e-9:
                heapq.heappush(heap, (gain, doctor, index))
                continue
            self._put(x, plans, at, doctor, index)
            worked[doctor] += c.minutes[index]
            days_worked[doctor].add(c.date_of[index])
        return x

    def lacking(self, x: np.ndarray) -> int:
        """How many (half-day, skill) the forecast needs have no doctor of that skill."""
        at: dict[int, list[int]] = defaultdict(list)
        for doctor, indexes in enumerate(self.worked(x)):
            for index in indexes:
                at[index].append(doctor)
        doctors = self.c.doctors
        return sum(
            1
            for index, skill in self.c.requirements
            if not any(skill in doctors[d].skills for d in at.get(index, ()))
        )

    def values(self, x: np.ndarray) -> list[float]:
        u, imbalance, overtime, preferences, kept = self.c.objective_values(self.worked(x))
        return [u, imbalance, overtime, preferences, self.c.buffer_target - kept]


class _Problem(Problem):
    def __init__(self, roster: Roster):
        super().__init__(n_var=roster.n, n_obj=5, n_ieq_constr=1, xl=0, xu=roster.upper, vtype=int)
        self.roster = roster
        self.archive: dict[tuple, np.ndarray] = {}

    def record(self, x: np.ndarray) -> None:
        """Keep a genome in the archive the front is drawn from, if it is feasible. (The local
        searches keep every rule but cannot add a needed skill their start lacks.)"""
        if self.roster.lacking(x) == 0:
            self.archive.setdefault(tuple(self.roster.values(x)), x.copy())

    def _evaluate(self, X, out, *args, **kwargs):
        F = np.empty((len(X), 5))
        G = np.empty((len(X), 1))
        for k, x in enumerate(X):
            x = np.asarray(x, dtype=int)
            missing = self.roster.last_missing.get(x.tobytes(), None)
            if missing is None:
                x, missing = self.roster.repair(x)
            F[k] = self.roster.values(x)
            G[k, 0] = missing
            if missing == 0:
                self.archive.setdefault(tuple(F[k]), x.copy())
        out["F"] = F
        out["G"] = G
        self.roster.evaluated += len(X)


class _Repair(Repair):
    def _do(self, problem, X, **kwargs):
        roster: Roster = problem.roster
        roster.last_missing = {}
        Y = np.empty_like(X)
        for k, x in enumerate(X):
            y, missing = roster.repair(np.asarray(x, dtype=int))
            if missing == 0 and roster.child_moves and roster.evaluated:
                # Memetic step: a few improving moves under a random leaning of the weights.
                leaning = np.array(WEIGHTS) * roster.rng.lognormal(0.0, 1.0, size=5)
                y = improve(roster, y, leaning, roster.child_moves, roster.rng)
            Y[k] = y
            roster.last_missing[y.tobytes()] = missing
        return Y


class _Sampling(Sampling):
    """A greedy roster (its lacking needed skills brought by ``polish.cover``) improved by
    local search on the weighted sum; from it, for each objective, the moves aimed at that
    objective (every roster they reach joins the archive) and then the random moves with the
    objective thirty times heavier; only what appointments and needed skills demand; everyone
    wherever they may (then repaired); and random rosters of every density."""

    def _do(self, problem, n_samples, **kwargs):
        roster: Roster = problem.roster
        rng = roster.rng
        X = np.zeros((n_samples, roster.n), dtype=int)
        seeds = _seed_weights()
        # The weighted sum's roster gets the longest search; each leaning starts from it.
        share = (roster.seed_until - time.monotonic()) / 3
        moves = roster.seed_moves or 10**9
        # The repair places needed skills one by one and may leave one lacking; ``cover``
        # brings the rest with moves that free a doctor first.
        first = improve(
            roster,
            cover(roster, roster.greedy(WEIGHTS)),
            WEIGHTS,
            moves,
            rng,
            time.monotonic() + share,
        )
        start = roster.values(first)
        # What one option costs to build and check at the end, to keep time for them.
        began = time.monotonic()
        option = _option(roster.c, "0", roster.worked(first))
        check(roster.c.instance, option.shifts, option.uncovered_appointments)
        roster.option_seconds = time.monotonic() - began
        for k in range(n_samples):
            if k < len(seeds):
                until = time.monotonic() + (roster.seed_until - time.monotonic()) / (len(seeds) - k)
                if k == 0:
                    X[k] = first
                    continue
                # The moves aimed at the objective first (whose rosters join the archive),
                # then the random ones with the objective leaning.
                x = first
                if start[k - 1] > 1e-9:
                    x = aim(roster, first, k - 1, (time.monotonic() + until) / 2, problem.record)
                X[k] = improve(roster, x, seeds[k], moves, rng, until)
                continue
            if k == len(seeds):
                continue  # only what is pinned and needed
            density = 1.0 if k == len(seeds) + 1 else rng.uniform(0.15, 0.8)
            on = rng.random(roster.n) < density
            X[k] = np.where(on, rng.integers(1, roster.upper + 1), 0)
        return X


def _seed_weights() -> list[tuple[float, ...]]:
    """The weighted sum, and each objective made thirty times heavier."""
    return [WEIGHTS] + [
        tuple(w * 30.0 if k == j else w for k, w in enumerate(WEIGHTS)) for j in range(len(WEIGHTS))
    ]


class _Crossover(Crossover):
    """Children take each doctor's whole plan from one parent or the other (a doctor's own
    rules then still hold); half the time a two-point cut instead."""

    def __init__(self):
        super().__init__(2, 2)

    def _do(self, problem, X, **kwargs):
        roster: Roster = problem.roster
        rng = roster.rng
        _, n_matings, n_var = X.shape
        Y = X.copy()
        for m in range(n_matings):
            a, b = X[0, m].copy(), X[1, m].copy()
            if rng.random() < 0.5:
                for start, end in roster.doctor_bounds:
                    if end > start and rng.random() < 0.5:
                        a[start:end], b[start:end] = X[1, m, start:end], X[0, m, start:end]
            else:
                i, j = sorted(rng.choice(n_var + 1, size=2, replace=False))
                a[i:j], b[i:j] = X[1, m, i:j], X[0, m, i:j]
            Y[0, m], Y[1, m] = a, b
        return Y


class _Mutation(Mutation):
    """A few genes per child: a shift taken away, a day off worked, a clinic changed."""

    def _do(self, problem, X, **kwargs):
        roster: Roster = problem.roster
        rng = roster.rng
        X = X.copy()
        for k in range(len(X)):
            for s in rng.choice(roster.n, size=min(roster.n, 1 + rng.poisson(2)), replace=False):
                X[k, s] = (
                    0 if X[k, s] and rng.random() < 0.5 else rng.integers(0, roster.upper[s] + 1)
                )
        return X


def propose(
    instance: Instance,
    *,
    seed: int = 0,
    time_limit_seconds: float = 10.0,
    max_generations: int = 200,
    population_size: int = 60,
    max_options: int | None = 10,
    child_moves: int = 200,
    seed_moves: int | None = None,
    seed_share: float = 0.35,
    polish_share: float = 0.4,
    polish_moves: int = 20_000,
    polish_starts: int = 30,
) -> tuple[Option, ...]:
    """The Pareto front NSGA-II finds, as options sorted by their objectives.

    The first ``seed_share`` of the time goes to the seeds (a greedy roster searched on the
    weighted sum, and one leaning to each objective, reached first by the moves aimed at it;
    or ``seed_moves`` random moves each, if given), then NSGA-II, whose children each get
    ``child_moves`` moves of local search, and the last ``polish_share`` to polishing each
    objective's end of the front (``_polish``), stopping in time to build and check the options
    by the limit. Deterministic for a seed as long as ``seed_moves`` and ``max_generations``
    end the run before ``time_limit_seconds`` does. ``max_options`` keeps the best option on each objective, the
    best by the weighted sum, then the options farthest from those kept (``None``: the whole
    front). Raises ``InfeasibleInstance`` if no roster meets the hard constraints.
    """
    started = time.monotonic()
    compiled = Compiled(instance)
    rng = np.random.default_rng(seed)
    roster = Roster(compiled, rng)
    roster.last_missing = {}
    roster.child_moves = child_moves
    roster.seed_moves = seed_moves
    roster.evaluated = 0  # the initial population (the seeds) is repaired but not searched again
    roster.option_seconds = 0.0
    # The seeds get the first share of the time; NSGA-II and the polish the rest.
    roster.seed_until = started + seed_share * time_limit_seconds
    if roster.n == 0:
        return (
            (_option(compiled, "1", [[] for _ in compiled.doctors]),)
            if not compiled.requirements
            else ()
        )
    problem = _Problem(roster)
    algorithm = NSGA2(
        pop_size=population_size,
        sampling=_Sampling(),
        crossover=_Crossover(),
        mutation=_Mutation(),
        repair=_Repair(),
        eliminate_duplicates=True,
    )
    # NSGA-II stops early: the polish of the front's ends follows, and the checker reads every
    # option at the end.
    remaining = max(0.1, (0.92 - polish_share) * time_limit_seconds - (time.monotonic() - started))
    termination = TerminationCollection(
        MaximumGenerationTermination(max_generations), TimeBasedTermination(remaining)
    )
    minimize(problem, algorithm, termination, seed=seed, verbose=False)
    # The options are built and checked by the end of the time limit: the polish stops in
    # time for as many as are asked for (up to 20 when the whole front is), and the front is
    # cut to the extremes and the farthest points if even so time runs short.
    end = started + 0.97 * time_limit_seconds
    expected = min(max_options or 20, 20)
    if problem.archive and polish_share > 0:
        deadline = min(
            started + 0.92 * time_limit_seconds, end - 1.5 * roster.option_seconds * expected
        )
        _polish(problem, roster, deadline, polish_moves, polish_starts)
    if not problem.archive:
        raise InfeasibleInstance(
            [
                f"no roster puts a doctor with {skill} at clinic {compiled.half_days[index].clinic_id} "
                f"on {compiled.half_days[index].date:%Y-%m-%d} {compiled.half_days[index].part}"
                for (index, skill), _count in roster.failed.most_common(5)
            ]
        )
    keys = list(problem.archive)
    F = np.array(keys)
    front = NonDominatedSorting().do(F, only_non_dominated_front=True)
    affordable = int((end - time.monotonic()) / max(roster.option_seconds, 1e-3))
    limit = max(len(WEIGHTS) + 1, affordable)
    chosen = _choose(F[front], limit if max_options is None else min(max_options, limit))
    options = []
    for k in sorted((front[i] for i in chosen), key=lambda i: keys[i]):
        worked = roster.worked(problem.archive[keys[k]])
        option = _option(compiled, str(len(options) + 1), worked)
        if check(instance, option.shifts, option.uncovered_appointments):
            continue  # the repair's mistake; the checker stands guard
        options.append(option)
    return tuple(options)


# The order the front's ends are polished in: the objectives that usually need least first, so
# that the time they leave goes to the others.
POLISH_ORDER = (2, 3, 4, 0, 1)


def _polish(problem: _Problem, roster: Roster, deadline: float, moves: int, starts: int) -> None:
    """Each objective's end of the front searched further, in an equal share of the time
    left (what one leaves goes to the next). Unmet demand, imbalance and preferences: the moves
    aimed at the objective (``polish.aim``) from the archive's best roster on it, then from up
    to ``starts - 1`` others drawn from the archive, since where those moves stop depends on
    where they start. Overtime and the buffer: the random moves with the objective leading,
    up to ``moves``. Every roster found on the way joins the archive."""
    weights = np.array(WEIGHTS)
    F = np.array(list(problem.archive))
    # An objective already at its least (none unmet, no overtime, ...) is not searched.
    order = [j for j in POLISH_ORDER if F[:, j].min() > 1e-9]
    for k, objective in enumerate(order):
        now = time.monotonic()
        if now >= deadline:
            return
        until = now + (deadline - now) / (len(order) - k)
        keys = list(problem.archive)
        F = np.array(keys)
        ranked = np.lexsort((F @ weights, F[:, objective]))
        others = roster.rng.permutation(ranked[1:])[: max(0, starts - 1)]
        if objective in AIMED:
            for start in [ranked[0], *others]:
                if time.monotonic() >= until:
                    break
                aim(roster, problem.archive[keys[start]], objective, until, problem.record)
            continue
        polish(
            roster,
            problem.archive[keys[ranked[0]]],
            objective,
            until,
            problem.record,
            roster.rng,
            moves,
        )


def _option(compiled: Compiled, option_id: str, worked: list[list[int]]) -> Option:
    objectives: Objectives = compiled.objectives(worked)
    return Option(option_id, objectives, compiled.to_shifts(worked), compiled.uncovered)


def _choose(F: np.ndarray, limit: int | None) -> list[int]:
    """Which points of a front to keep: extremes, the weighted best, then the farthest."""
    if limit is None or len(F) <= limit:
        return list(range(len(F)))
    low, high = F.min(axis=0), F.max(axis=0)
    scaled = (F - low) / np.where(high > low, high - low, 1)
    kept: list[int] = []
    for j in range(F.shape[1]):
        best = int(np.lexsort((F @ np.array(WEIGHTS), F[:, j]))[0])
        if best not in kept:
            kept.append(best)
    weighted = int(np.argmin(F @ np.array(WEIGHTS)))
    if weighted not in kept:
        kept.append(weighted)
    while len(kept) < limit:
        distance = np.min(
            np.linalg.norm(scaled[:, None, :] - scaled[None, kept, :], axis=2), axis=1
        )
        distance[kept] = -1
        kept.append(int(np.argmax(distance)))
    return kept[:limit]
