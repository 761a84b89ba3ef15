"""The moves aimed at one objective reach further on it and keep every roster legal."""

import time

import numpy as np
import pytest

from yachi.rostering.planner import check
from yachi.rostering.planner.compiled import WEIGHTS, Compiled
from yachi.rostering.planner.model import Demand
from yachi.rostering.planner.nsga import Roster
from yachi.rostering.planner.polish import balance, cover, fill, grant, leading
from yachi.rostering.planner.synthetic import chain
from yachi.rostering.planner.tests.tiny import MONDAY, WANG, instance

LATER = 60.0  # seconds: the searches here end because nothing improves, not by the clock


def legal(roster: Roster, x: np.ndarray) -> bool:
    c = roster.c
    return check(c.instance, c.to_shifts(roster.worked(x)), c.uncovered) == []


def genome(roster: Roster, worked: list[tuple[int, int]]) -> np.ndarray:
    c = roster.c
    x = np.zeros(roster.n, dtype=int)
    for doctor, index in worked:
        s = c.slot_of[(doctor, index)]
        x[s] = c.slots[s].domain.index(index) + 1
    return x


@pytest.fixture(scope="module")
def fortnight():
    """Twenty doctors over two weeks, from the greedy roster on the weighted sum."""
    roster = Roster(Compiled(chain(20, 14, seed=1)), np.random.default_rng(1))
    return roster, roster.greedy(WEIGHTS)


def test_a_needed_skill_the_roster_lacks_is_brought_by_freeing_its_doctor():
    # Root canals are forecast at clinic 1 on Monday morning; Wang, the only one who does
    # them, is rostered at clinic 2 then.
    demand = (Demand(1, MONDAY, "morning", "endodontics", 120, 3.0),)
    roster = Roster(Compiled(instance(demand=demand)), np.random.default_rng(0))
    c = roster.c
    away = c.key_index[(2, MONDAY, "morning")]
    x = genome(roster, [(c.doctor_index[WANG], away)])
    assert not legal(roster, x)

    y = cover(roster, x)

    assert legal(roster, y)
    assert c.key_index[(1, MONDAY, "morning")] in roster.worked(y)[c.doctor_index[WANG]]


def test_unmet_demand_falls_and_every_roster_on_the_way_is_legal(fortnight):
    roster, x = fortnight
    met = []
    y = fill(roster, x, leading(0), time.monotonic() + LATER, met.append)
    assert roster.values(y)[0] < roster.values(x)[0]
    assert met and all(legal(roster, z) for z in met)


def test_the_spread_of_doctors_hours_narrows_and_every_roster_on_the_way_is_legal(fortnight):
    roster, x = fortnight
    met = []
    y = balance(roster, x, time.monotonic() + LATER, met.append, np.random.default_rng(0), 2)
    assert roster.values(y)[1] < roster.values(x)[1]
    assert met and all(legal(roster, z) for z in met)
    assert [roster.values(z)[1] for z in met] == sorted(
        (roster.values(z)[1] for z in met), reverse=True
    )


def test_fewer_wishes_are_broken_and_the_roster_stays_legal(fortnight):
    roster, x = fortnight
    met = []
    y = grant(roster, x, leading(3), time.monotonic() + LATER, met.append)
    assert roster.values(y)[3] < roster.values(x)[3]
    assert legal(roster, y)
