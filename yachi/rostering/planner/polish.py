"""Polishing the ends of the front: a search aimed at one objective at a time.

NSGA-II's random moves rarely reach the extreme points of the front: the imbalance is the
spread between the most and the least loaded doctor, which one move seldom changes, and the
unmet demand of a half-day falls only when a qualified doctor can be brought there, which often
takes two changes at once (the doctor freed from another shift, or swapped for a colleague
whose skills the half-day does not need). So, before the front is returned, the best roster
found on each objective is searched further with moves built for that objective, each keeping
every hard rule (the same checks as ``local``), and each roster met on the way goes into the
archive the front is drawn from:

- *Balance* (imbalance): doctors' loads (hours worked beyond their contract) are pulled into a
  band a step narrower than the spread to beat, placed where it leaves the least load outside
  it. A doctor outside the band sheds a shift (dropped, or handed to a colleague), changes it
  for a shorter or longer one, trades a half-day with a colleague for a shorter or longer
  one, or takes a half-day (free, or from a colleague); the move that pulls the most load into
  the band wins, the weighted sum breaking ties. Where no single move helps, two in a row (a
  colleague pushed out, then back in by a move of their own). Whenever every doctor is in the
  band it narrows again; where a step is too much, by a minute (contracts prorated for leave
  are not whole steps). Optionally, the best roster is shaken by a few moves that keep the
  spread and searched again.
- *Fill* (unmet demand): at the half-days with unmet demand, heaviest first, a qualified doctor
  is added, put in the place of a colleague, or freed from the shifts that block them (the
  evening before, another shift that day or week: dropped or handed on); the move that lowers
  the unmet demand most wins.
- *Grant* (preferences): a shift away from a doctor's home clinic, or a whole day worked that
  they wanted off, dropped, moved or handed to a colleague (freed first if need be).
- Any objective: the random moves of ``local.improve`` with that objective made much heavier.

``cover`` uses the fill's moves to bring a needed skill a roster lacks (the repair places them
one at a time and may leave one it could not place).
"""

from __future__ import annotations

import time

import numpy as np

from yachi.rostering.planner.compiled import WEIGHTS
from yachi.rostering.planner.local import State, improve

Move = list[tuple[int, int, int]]

# The objectives with moves of their own (unmet demand, imbalance, preferences).
AIMED = (0, 1, 3)

# Leaning of the weights that makes one objective come first (the weighted sum breaks ties).
LEAD = 1000.0


def _apply_best(state: State, moves: list[Move], weights) -> bool:
    """Applies the move that lowers the weighted sum most, if any lowers it at all."""
    chosen, chosen_change = None, -1e-9
    for move in moves:
        change = state.delta(move, weights)
        if change < chosen_change:
            chosen, chosen_change = move, change
    if chosen is None:
        return False
    state.apply(chosen)
    return True


def leading(objective: int) -> tuple[float, ...]:
    return tuple(w * LEAD if k == objective else w for k, w in enumerate(WEIGHTS))


def aim(
    roster,
    x: np.ndarray,
    objective: int,
    deadline: float,
    record,
    rng: np.random.Generator | None = None,
    kicks: int = 0,
) -> np.ndarray:
    """The moves built for one objective (index into ``Objectives.NAMES``), from ``x`` until
    nothing improves it or the deadline; ``record(genome)`` is called with every roster that
    improved on the way. Objectives without such moves return ``x``."""
    if objective == 0:
        return fill(roster, x, leading(0), deadline, record)
    if objective == 1:
        return balance(roster, x, deadline, record, rng, kicks)
    if objective == 3:
        return grant(roster, x, leading(3), deadline, record)
    return x


def polish(
    roster,
    x: np.ndarray,
    objective: int,
    deadline: float,
    record,
    rng: np.random.Generator,
    moves: int = 20_000,
    kicks: int = 0,
) -> np.ndarray:
    """``aim`` on one objective, then the random moves of ``local.improve`` with that
    objective leading, until ``moves`` or the deadline."""
    x = aim(roster, x, objective, deadline, record, rng, kicks)
    if time.monotonic() < deadline:
        y = improve(roster, x, leading(objective), moves, rng, deadline)
        if y is not x:
            record(y)
            x = y
    return x


# -- moves ----------------------------------------------------------------------------------------
def _doctor_moves(state: State, doctor: int, direction: int) -> list[Move]:
    """Legal moves that change the doctor's minutes in ``direction`` (-1 fewer, +1 more)."""
    c = state.c
    room = state.roster.room
    plan = state.plans[doctor]
    moves: list[Move] = []
    own = [i for i in plan.chosen if (doctor, i) not in c.pinned]
    if direction < 0:
        for i in own:
            if not state.needed(doctor, i):
                moves.append([(doctor, i, -1)])
            for taker in c.doctors_at[i]:
                if (
                    taker != doctor
                    and taker not in state.at[i]
                    and state.plans[taker].can_add(i)
                    and not state.needed(doctor, i, taker)
                ):
                    moves.append([(doctor, i, -1), (taker, i, 1)])
    else:
        for j in c.eligible_list[doctor]:
            if j in plan.chosen or not plan.can_add(j):
                continue
            if len(state.at[j]) < room[j]:
                moves.append([(doctor, j, 1)])
            for giver in state.at[j]:
                if (giver, j) not in c.pinned and not state.needed(giver, j, doctor):
                    moves.append([(giver, j, -1), (doctor, j, 1)])
    # The same shift for a shorter (or longer) one.
    for i in own:
        if state.needed(doctor, i):
            continue
        plan.remove(i)
        for j in c.eligible_list[doctor]:
            if (
                (c.minutes[j] - c.minutes[i]) * direction > 0
                and j not in plan.chosen
                and len(state.at[j]) < room[j]
                and plan.can_add(j)
            ):
                moves.append([(doctor, i, -1), (doctor, j, 1)])
        plan.add(i)
    return moves


def _trades(state: State, doctor: int, direction: int) -> list[Move]:
    """The doctor trades a half-day with a colleague for a shorter (or longer) one of theirs."""
    c = state.c
    plan = state.plans[doctor]
    moves: list[Move] = []
    for i in [i for i in plan.chosen if (doctor, i) not in c.pinned]:
        for partner in c.doctors_at[i]:
            if partner == doctor or partner in state.at[i]:
                continue
            theirs = state.plans[partner]
            for j in list(theirs.chosen):
                if (
                    (c.minutes[j] - c.minutes[i]) * direction <= 0
                    or (partner, j) in c.pinned
                    or doctor in state.at[j]
                    or j not in c.eligible[doctor]
                    or state.needed(doctor, i, partner)
                    or state.needed(partner, j, doctor)
                ):
                    continue
                plan.remove(i)
                theirs.remove(j)
                fits = plan.can_add(j) and theirs.can_add(i)
                plan.add(i)
                theirs.add(j)
                if fits:
                    moves.append(
                        [(doctor, i, -1), (partner, j, -1), (doctor, j, 1), (partner, i, 1)]
                    )
    return moves


def _handovers(state: State, doctor: int, index: int, busy: set[int] = frozenset()) -> list[Move]:
    """Ways for the doctor to leave ``index``: dropped (if no needed skill goes with them) or
    handed to a colleague free to take it (not one of ``busy``)."""
    c = state.c
    moves: list[Move] = []
    if not state.needed(doctor, index):
        moves.append([(doctor, index, -1)])
    for taker in c.doctors_at[index]:
        if (
            taker != doctor
            and taker not in busy
            and taker not in state.at[index]
            and state.plans[taker].can_add(index)
            and not state.needed(doctor, index, taker)
        ):
            moves.append([(doctor, index, -1), (taker, index, 1)])
    return moves


def _arrivals(state: State, doctor: int, index: int, weights) -> list[Move]:
    """Legal ways for the doctor to start working ``index`` (chairs aside): at once, or after
    leaving the shifts that stand in the way. One such shift is left in every way it can be;
    where it takes several (the evening before, and another shift that day, say), each is
    left in its best way."""
    c = state.c
    plan = state.plans[doctor]
    if plan.can_add(index):
        return [[(doctor, index, 1)]]
    conflicting = [k for k in c.conflicts[index] if k in plan.chosen]
    if any((doctor, k) in c.pinned for k in conflicting):
        return []
    for k in conflicting:
        plan.remove(k)
    frees: list[list[int]] = []
    if plan.can_add(index):
        frees.append([])
    else:
        # Hours: one more shift of that day or week to leave.
        for k in sorted(plan.chosen):
            if (doctor, k) in c.pinned or (
                c.date_of[k] != c.date_of[index] and c.week[k] != c.week[index]
            ):
                continue
            plan.remove(k)
            if plan.can_add(index):
                frees.append([k])
            plan.add(k)
    for k in conflicting:
        plan.add(k)
    arrive = (doctor, index, 1)
    moves: list[Move] = []
    for extra in frees:
        freed = conflicting + extra
        if len(freed) == 1:
            moves.extend([*way, arrive] for way in _handovers(state, doctor, freed[0]))
            continue
        chain: Move = []
        busy: set[int] = set()
        for k in freed:
            ways = _handovers(state, doctor, k, busy)
            if not ways:
                chain = []
                break
            way = min(ways, key=lambda w: state.delta(w, weights))
            chain.extend(way)
            busy.update(d for d, _i, sign in way if sign > 0)
        if chain:
            moves.append([*chain, arrive])
    return moves


def _fill_moves(state: State, index: int, weights) -> list[Move]:
    """Legal moves that bring one more doctor to the half-day ``index``, in a free chair or in
    the place of a colleague."""
    c = state.c
    full = len(state.at[index]) >= state.roster.room[index]
    replaceable = [g for g in state.at[index] if (g, index) not in c.pinned]
    moves: list[Move] = []
    for doctor in c.doctors_at[index]:
        if doctor in state.at[index]:
            continue
        for arrival in _arrivals(state, doctor, index, weights):
            if not full:
                moves.append(arrival)
            for giver in replaceable:
                if state.needed(giver, index, doctor) or any(d == giver for d, _i, _s in arrival):
                    continue
                moves.append([(giver, index, -1), *arrival])
    return moves


# -- balance --------------------------------------------------------------------------------------
def _band(deviation: list[float], width: float) -> float:
    """The low end of the band of ``width`` that leaves the least load outside it."""

    def outside(low: float) -> float:
        high = low + width
        return sum(max(0.0, low - d) + max(0.0, d - high) for d in deviation)

    candidates = {d for d in deviation} | {d - width for d in deviation}
    return min(sorted(candidates), key=outside)


def balance(
    roster,
    x: np.ndarray,
    deadline: float,
    record,
    rng: np.random.Generator | None = None,
    kicks: int = 0,
) -> np.ndarray:
    """Narrow the spread of the doctors' loads (see the module's docstring). Where no move
    narrows it further, up to ``kicks`` times: the best roster so far shaken by a few random
    moves that keep every load within its spread, and the search started again from there."""
    state = State(roster, x)
    best, spread = x, state.spread()
    failures = 0
    while True:
        found, narrowest = _narrow(state, spread, deadline, record)
        if narrowest < spread - 1e-6:
            best, spread, failures = found, narrowest, 0
        else:
            failures += 1
        if rng is None or failures > kicks or time.monotonic() >= deadline:
            return best
        state = State(roster, best)
        _shake(state, rng, 2 + failures)


def _narrow(state: State, spread: float, deadline: float, record) -> tuple[np.ndarray, float]:
    """The band search from ``state`` (changed in place): the best roster it meets whose spread
    is below ``spread``, and that spread (or ``None`` and ``spread`` if none)."""
    c = state.c
    step = min(
        [abs(a - b) for a in set(c.minutes) for b in set(c.minutes) if a != b] + list(c.minutes)
    )
    best = None
    start = state.spread()
    if start < spread - 1e-6:
        best, spread = state.genome(), start
    # The band is first a step narrower than the best spread so far; where nothing more fits,
    # a minute narrower (contracts prorated for leave are not whole multiples of a step).
    fine = False
    width = min(spread, start) - step
    low = _band(state.deviation, width)
    placed = 0
    while time.monotonic() < deadline and width >= 0:
        deviation = state.deviation
        high = low + width

        def out(d: float, low: float = low, high: float = high) -> float:
            return max(0.0, low - d) + max(0.0, d - high)

        outside = sorted(
            (d for d in range(len(deviation)) if out(deviation[d]) > 1e-6),
            key=lambda d: -out(deviation[d]),
        )
        if not outside:
            fine, placed = False, 0
            width = state.spread() - step
            low = _band(deviation, width)
            continue
        applied = False
        for doctor in outside:
            if time.monotonic() >= deadline:
                break
            direction = -1 if deviation[doctor] > high else 1
            chosen, chosen_key = None, None
            for moves in (_doctor_moves, _trades):
                for move in moves(state, doctor, direction):
                    change: dict[int, int] = {}
                    for d, i, sign in move:
                        change[d] = change.get(d, 0) + sign * c.minutes[i]
                    gain = sum(
                        out(deviation[d] + delta) - out(deviation[d]) for d, delta in change.items()
                    )
                    if gain > -1e-6:
                        continue
                    key = (round(gain, 3), state.delta(move, WEIGHTS))
                    if chosen_key is None or key < chosen_key:
                        chosen, chosen_key = move, key
                if chosen is not None:
                    break
            if chosen is not None:
                state.apply(chosen)
                applied = True
                now = state.spread()
                if now < spread - 1e-6:  # a narrower spread, even with some still outside
                    spread = now
                    best = state.genome()
                    record(best)
                break
        if not applied:
            applied = _chain(state, outside, out, deadline)
            if applied:
                now = state.spread()
                if now < spread - 1e-6:
                    spread = now
                    best = state.genome()
                    record(best)
        if applied:
            continue
        # Nothing pulls a doctor into this band: place it afresh, then narrow it by less;
        # then give up.
        moved = _band(deviation, width)
        if abs(moved - low) > 1e-6 and placed < 3:
            low, placed = moved, placed + 1
            continue
        if fine or state.spread() - 1 <= width + 1e-6:
            break
        fine, placed = True, 0
        width = state.spread() - 1
        low = _band(state.deviation, width)
    return best, spread


def _load_change(c, move: Move) -> dict[int, int]:
    change: dict[int, int] = {}
    for d, i, sign in move:
        change[d] = change.get(d, 0) + sign * c.minutes[i]
    return change


def _chain(state: State, outside: list[int], out, deadline: float) -> bool:
    """Two moves in a row: a doctor outside the band moves into it by pushing a colleague out
    (a half-day traded for a shorter one, say), and the colleague moves back in by a move of
    their own. Applied if the two together leave less load outside; ``state`` is otherwise as
    it was."""
    c = state.c

    def side(d: int) -> int:
        value = state.deviation[d]
        return -1 if out(value - 1) < out(value) else 1

    for doctor in outside:
        direction = side(doctor)
        for first in _doctor_moves(state, doctor, direction) + _trades(state, doctor, direction):
            if time.monotonic() >= deadline:
                return False
            deviation = state.deviation
            change = _load_change(c, first)
            if out(deviation[doctor] + change[doctor]) >= out(deviation[doctor]) - 1e-6:
                continue
            pushed = [d for d in change if d != doctor and out(deviation[d] + change[d]) > 1e-6]
            if len(pushed) != 1:
                continue
            partner = pushed[0]
            before = {d: deviation[d] for d in change}
            state.apply(first)
            then = None
            for second in _doctor_moves(state, partner, side(partner)) + _trades(
                state, partner, side(partner)
            ):
                later = _load_change(c, second)
                if doctor in later:
                    continue
                origin = {d: state.deviation[d] for d in later} | before
                total = dict(change)
                for d, delta in later.items():
                    total[d] = total.get(d, 0) + delta
                gain = sum(out(origin[d] + delta) - out(origin[d]) for d, delta in total.items())
                if gain < -1e-6:
                    then = second
                    break
            if then is not None:
                state.apply(then)
                return True
            state.apply([(d, i, -sign) for d, i, sign in reversed(first)])
    return False


def _shake(state: State, rng: np.random.Generator, count: int) -> None:
    """A few random legal moves (a shift handed on, traded, dropped, taken or changed for a
    longer or shorter one) that keep every doctor's load within the present spread."""
    c = state.c
    doctors = len(c.doctors)
    for _ in range(8 * count):
        if count <= 0:
            return
        doctor = int(rng.integers(doctors))
        direction = 1 if rng.random() < 0.5 else -1
        low, high = state.order[0][0], state.order[-1][0]
        moves = []
        for move in _doctor_moves(state, doctor, direction) + _trades(state, doctor, direction):
            change: dict[int, int] = {}
            for d, i, sign in move:
                change[d] = change.get(d, 0) + sign * c.minutes[i]
            if all(low <= state.deviation[d] + delta <= high for d, delta in change.items()):
                moves.append(move)
        if moves:
            state.apply(moves[int(rng.integers(len(moves)))])
            count -= 1


# -- fill -----------------------------------------------------------------------------------------
def fill(roster, x: np.ndarray, weights, deadline: float, record) -> np.ndarray:
    """Lower the unmet demand half-day by half-day (see the module's docstring)."""
    state = State(roster, x)
    changed = False
    progress = True
    while progress and time.monotonic() < deadline:
        progress = False
        short = sorted(
            (i for i, (unmet, _kept) in state.value.items() if unmet > 0),
            key=lambda i: -state.value[i][0],
        )
        for index in short:
            if time.monotonic() >= deadline:
                break
            if _apply_best(state, _fill_moves(state, index, weights), weights):
                changed = progress = True
    if not changed:
        return x
    y = state.genome()
    record(y)
    return y


# -- wishes ---------------------------------------------------------------------------------------
def _away(state: State, doctor: int, index: int, weights) -> list[Move]:
    """Ways for the doctor to stop working ``index``: dropped, moved to another half-day, or
    handed to a colleague (freed first from what stands in the way, if need be)."""
    c = state.c
    room = state.roster.room
    plan = state.plans[doctor]
    moves: list[Move] = []
    leave = (doctor, index, -1)
    if not state.needed(doctor, index):
        moves.append([leave])
        plan.remove(index)
        for j in c.eligible_list[doctor]:
            if (
                j not in plan.chosen
                and j != index
                and len(state.at[j]) < room[j]
                and plan.can_add(j)
            ):
                moves.append([leave, (doctor, j, 1)])
        plan.add(index)
    for taker in c.doctors_at[index]:
        if taker == doctor or taker in state.at[index] or state.needed(doctor, index, taker):
            continue
        for arrival in _arrivals(state, taker, index, weights):
            if not any(d == doctor and i == index for d, i, _s in arrival):
                moves.append([leave, *arrival])
    return moves


def grant(roster, x: np.ndarray, weights, deadline: float, record) -> np.ndarray:
    """Fewer wishes broken: a doctor's shifts on a day they wanted off (the whole day) or away
    from their home clinic dropped, handed to a colleague, or moved elsewhere."""
    state = State(roster, x)
    c = state.c
    changed = False
    progress = True
    while progress and time.monotonic() < deadline:
        progress = False
        for doctor, d in enumerate(c.doctors):
            if time.monotonic() >= deadline:
                break
            plan = state.plans[doctor]
            groups: list[list[int]] = []
            by_date: dict = {}
            for i in sorted(plan.chosen):
                if (doctor, i) in c.pinned:
                    continue
                if c.date_of[i] in d.preferred_days_off:
                    by_date.setdefault(c.date_of[i], []).append(i)
                elif (
                    d.preferred_clinic_id is not None
                    and c.half_days[i].clinic_id != d.preferred_clinic_id
                ):
                    groups.append([i])
            groups.extend(
                day
                for date, day in by_date.items()
                if len(day) == sum(1 for i in plan.chosen if c.date_of[i] == date)
            )
            for group in groups:
                if _apply_best(state, _group_away(state, doctor, group, weights), weights):
                    changed = progress = True
    if not changed:
        return x
    y = state.genome()
    record(y)
    return y


def _group_away(state: State, doctor: int, group: list[int], weights) -> list[Move]:
    """Moves that take the doctor off every half-day of ``group`` (one or a day's two)."""
    first = _away(state, doctor, group[0], weights)
    if len(group) == 1:
        return first
    moves = []
    rest = group[1:]
    for move in first:
        if any(sign > 0 and d == doctor for d, _i, sign in move):
            continue  # moved within the same plan: keep combinations simple
        takers = {d for d, _i, sign in move if sign > 0}
        for more in _group_away(state, doctor, rest, weights):
            if any(sign > 0 and (d == doctor or d in takers) for d, _i, sign in more):
                continue
            moves.append(move + more)
    return moves


# -- needed skills ------------------------------------------------------------------------------
def cover(roster, x: np.ndarray) -> np.ndarray:
    """``x`` with a doctor of each skill the forecast needs and lacks, where one can be brought
    (freed from what stands in the way, or in the place of a colleague) without leaving another
    needed skill; the best such move by the weighted sum. What cannot be covered stays lacking."""
    state = State(roster, x)
    c = state.c
    changed = False
    for index, skill in c.requirements:
        if any(skill in c.doctors[d].skills for d in state.at[index]):
            continue
        chosen, chosen_change = None, None
        for move in _fill_moves(state, index, WEIGHTS):
            newcomer = move[-1][0]
            if skill not in c.doctors[newcomer].skills:
                continue
            change = state.delta(move, WEIGHTS)
            if chosen_change is None or change < chosen_change:
                chosen, chosen_change = move, change
        if chosen is not None:
            state.apply(chosen)
            changed = True
    return state.genome() if changed else x
