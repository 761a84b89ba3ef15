"""The effect of a rule against its holdout: pure arithmetic, no Django.

``difference_interval`` compares two proportions — the share of reached patients who
booked within the window against the share of the held-out ones — with the normal
approximation (Wald) interval of the difference, the textbook two-proportion interval.
"""

import hashlib
import math
from dataclasses import dataclass
from statistics import NormalDist


@dataclass(frozen=True)
class Effect:
    reached: int
    reached_booked: int
    holdout: int
    holdout_booked: int
    reached_rate: float | None
    holdout_rate: float | None
    difference: float | None
    low: float | None
    high: float | None

    @property
    def significant(self) -> bool:
        """The interval lies wholly above or below zero."""
        return self.low is not None and (self.low > 0 or self.high < 0)


def difference_interval(
    booked_a: int, total_a: int, booked_b: int, total_b: int, *, confidence: float = 0.95
) -> Effect:
    """``booked_a / total_a − booked_b / total_b`` with its confidence interval. Rates are
    None without anyone in the group; the interval is None unless both groups have people."""
    for booked, total in ((booked_a, total_a), (booked_b, total_b)):
        if total < 0 or booked < 0 or booked > total:
            raise ValueError("booked must be between 0 and the group's size")
    rate_a = booked_a / total_a if total_a else None
    rate_b = booked_b / total_b if total_b else None
    if rate_a is None or rate_b is None:
        return Effect(total_a, booked_a, total_b, booked_b, rate_a, rate_b, None, None, None)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    difference = rate_a - rate_b
    error = math.sqrt(rate_a * (1 - rate_a) / total_a + rate_b * (1 - rate_b) / total_b)
    return Effect(
        total_a,
        booked_a,
        total_b,
        booked_b,
        rate_a,
        rate_b,
        difference,
        difference - z * error,
        difference + z * error,
    )


def in_holdout(rule_key: str, patient_key: str, percent: int) -> bool:
    """Whether a patient is in a rule's holdout: the same answer on every run, machine and
    process (a hash of both keys, not a random draw), about ``percent`` % of patients."""
    if percent <= 0:
        return False
    digest = hashlib.sha256(f"{rule_key}:{patient_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10_000 < percent * 100
