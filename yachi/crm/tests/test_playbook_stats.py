"""The effect arithmetic: two proportions, their difference and its 95 % interval, and
the deterministic holdout."""

import math

import pytest

from yachi.crm.playbook.stats import difference_interval, in_holdout


def test_the_difference_of_two_rates_with_its_wald_interval():
    effect = difference_interval(30, 100, 20, 100)
    assert effect.reached_rate == pytest.approx(0.30)
    assert effect.holdout_rate == pytest.approx(0.20)
    assert effect.difference == pytest.approx(0.10)
    half = 1.959964 * math.sqrt(0.3 * 0.7 / 100 + 0.2 * 0.8 / 100)
    assert effect.low == pytest.approx(0.10 - half, abs=1e-6)
    assert effect.high == pytest.approx(0.10 + half, abs=1e-6)
    assert not effect.significant  # the interval still includes zero


def test_a_large_difference_in_large_groups_is_significant():
    effect = difference_interval(450, 1000, 300, 1000)
    assert effect.low > 0 and effect.significant


def test_an_empty_group_gives_no_interval():
    effect = difference_interval(5, 10, 0, 0)
    assert effect.reached_rate == 0.5 and effect.holdout_rate is None
    assert effect.difference is None and effect.low is None and not effect.significant


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError):
        difference_interval(11, 10, 0, 5)


def test_the_holdout_is_the_same_every_time_and_about_its_share():
    first = [in_holdout("rule-1", f"patient-{n}", 10) for n in range(5000)]
    assert first == [in_holdout("rule-1", f"patient-{n}", 10) for n in range(5000)]
    assert 0.08 < sum(first) / len(first) < 0.12
    # Another rule holds out other patients; 0 % holds out nobody.
    assert first != [in_holdout("rule-2", f"patient-{n}", 10) for n in range(5000)]
    assert not any(in_holdout("rule-1", f"patient-{n}", 0) for n in range(100))
