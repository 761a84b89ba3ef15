"""Behaviour rules of the anti-fraud screening: pure functions, no Django.

Each rule looks at plain facts (counts, times, phone numbers, edges of the referral
graph) and returns a ``Finding`` (its rule name, a score and the facts that made it) or
``None``. ``assess`` adds the findings up to a risk score from 0 to 100 and says whether
a reward with that score is held. The thresholds are arguments with the defaults of
``Limits``, so the screening and the tests share one definition.
"""

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# The mobile virtual network operators' (虚拟运营商) number ranges: cheap, anonymous
# numbers are what coupon hunters (羊毛党) sign up with in bulk.
VIRTUAL_OPERATOR_PREFIXES = ("170", "171", "162", "165", "167")

MAX_SCORE = 100


@dataclass(frozen=True)
class Finding:
    rule: str
    score: int
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    score: int
    findings: tuple[Finding, ...]
    held: bool

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(finding.rule for finding in self.findings)


@dataclass(frozen=True)
class Limits:
    """Where ordinary behaviour ends. A family shares a phone or a home network, so one
    shared address or two accounts on a device are not suspicious; twenty are."""

    accounts_per_device: int = 3
    accounts_per_address: int = 5
    burst_sign_ups: int = 10
    burst_window: timedelta = timedelta(hours=1)
    rewards_per_day: int = 5
    check_ins_to_judge: int = 5
    check_in_spread_seconds: int = 120
    hold_score: int = 50


DEFAULT_LIMITS = Limits()


def many_accounts_on_device(accounts: int, limits: Limits = DEFAULT_LIMITS) -> Finding | None:
    """The accounts seen on the subject's devices (the subject included)."""
    if accounts < limits.accounts_per_device:
        return None
    extra = accounts - limits.accounts_per_device
    return Finding("device_shared", min(60, 40 + 10 * extra), {"accounts": accounts})


def many_accounts_on_address(accounts: int, limits: Limits = DEFAULT_LIMITS) -> Finding | None:
    """The accounts seen from the subject's addresses in a day (the subject included)."""
    if accounts < limits.accounts_per_address:
        return None
    return Finding("address_shared", 30, {"accounts": accounts})


def sign_up_burst(times: Iterable[datetime], limits: Limits = DEFAULT_LIMITS) -> Finding | None:
    """The most sign-ups from one address within any window of ``burst_window``."""
    ordered = sorted(times)
    most, start = 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] > limits.burst_window:
            start += 1
        most = max(most, end - start + 1)
    if most < limits.burst_sign_ups:
        return None
    minutes = int(limits.burst_window.total_seconds() // 60)
    return Finding("sign_up_burst", 50, {"sign_ups": most, "minutes": minutes})


def self_referral(
    *,
    inviter_devices: set[str],
    invitee_devices: set[str],
    inviter_addresses: set[str],
    invitee_addresses: set[str],
) -> Finding | None:
    """The inviter and the invitee on one device (one person with two numbers) or, less
    surely, behind one address."""
    if (inviter_devices & invitee_devices) - {""}:
        return Finding("self_referral", 60, {"shared": "device"})
    if (inviter_addresses & invitee_addresses) - {""}:
        return Finding("self_referral", 30, {"shared": "address"})
    return None


def referral_ring(edges: Iterable[tuple[int, int]], members: Iterable[int]) -> Finding | None:
    """A cycle in the referral graph through any of ``members``.

    ``edges`` are (inviter, invitee) pairs, refused attempts included: an invitee is a
    new account, so a ring shows itself when its last member tries to invite the first
    (who is already a patient) — the attempt is refused, and kept for this rule."""
    graph: dict[int, set[int]] = defaultdict(set)
    for inviter, invitee in edges:
        if inviter != invitee:
            graph[inviter].add(invitee)
    for start in members:
        cycle = _cycle_through(graph, start)
        if cycle:
            return Finding("referral_ring", 70, {"size": len(cycle)})
    return None


def _cycle_through(graph: dict[int, set[int]], start: int) -> list[int]:
    """The nodes of a shortest cycle from ``start`` back to it, or an empty list."""
    parents: dict[int, int] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        next_frontier = []
        for node in frontier:
            for target in sorted(graph.get(node, ())):
                if target == start:
                    cycle, step = [node], node
                    while step != start:
                        step = parents[step]
                        cycle.append(step)
                    return cycle
                if target not in seen:
                    seen.add(target)
                    parents[target] = node
                    next_frontier.append(target)
        frontier = next_frontier
    return []


def virtual_operator_number(phone: str) -> Finding | None:
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    prefix = digits[:3]
    if len(digits) == 11 and prefix in VIRTUAL_OPERATOR_PREFIXES:
        return Finding("virtual_number", 25, {"prefix": prefix})
    return None


def implausible_check_ins(
    times: Sequence[datetime], limits: Limits = DEFAULT_LIMITS
) -> Finding | None:
    """Check-ins a person would not make: the same time of day to the minute, day after
    day (a script), or most of them in the small hours. ``times`` are aware datetimes in
    the clinic's zone; fewer than ``check_ins_to_judge`` are not judged."""
    if len(times) < limits.check_ins_to_judge:
        return None
    seconds = sorted(t.hour * 3600 + t.minute * 60 + t.second for t in times)
    # The spread of the times of day on a circle: a day less the widest gap between them.
    gaps = [b - a for a, b in itertools.pairwise(seconds)]
    gaps.append(86400 - seconds[-1] + seconds[0])
    spread = 86400 - max(gaps)
    if spread <= limits.check_in_spread_seconds:
        return Finding("check_in_scripted", 50, {"check_ins": len(times), "spread_seconds": spread})
    night = sum(1 for t in times if 1 <= t.hour < 5)
    if night * 2 > len(times):
        return Finding("check_in_night", 30, {"check_ins": len(times), "at_night": night})
    return None


def reward_velocity(
    claims: Iterable[datetime], now: datetime, limits: Limits = DEFAULT_LIMITS
) -> Finding | None:
    """Rewards the beneficiary received in the day before ``now`` (this one included)."""
    recent = sum(1 for moment in claims if now - timedelta(days=1) <= moment <= now)
    if recent < limits.rewards_per_day:
        return None
    score = 50 if recent >= 2 * limits.rewards_per_day else 30
    return Finding("reward_velocity", score, {"rewards": recent})


def assess(findings: Iterable[Finding | None], limits: Limits = DEFAULT_LIMITS) -> Assessment:
    """The findings' scores added up (at most 100); held from ``hold_score`` on."""
    found = tuple(sorted((f for f in findings if f is not None), key=lambda f: -f.score))
    score = min(MAX_SCORE, sum(f.score for f in found))
    return Assessment(score=score, findings=found, held=score >= limits.hold_score)
