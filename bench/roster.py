"""The roster optimizer against its reference: NSGA-II and CP-SAT on synthetic chains.

For chains of 8, 20 and 50 doctors over two weeks (``yachi.rostering.planner.synthetic``):
NSGA-II's run time and the hypervolume of its front, and how far its best point on each
objective is from CP-SAT's best (CP-SAT run once on the weighted sum and once per objective
first, each within a time limit), plus both weighted sums. Pure Python: no database.

    .venv/bin/python bench/roster.py [--sizes 8,20,50] [--seeds 0] [--nsga-seconds 9]
        [--cpsat-seconds 20] [--reference-cache FILE]

``--seeds 0,1,2`` runs each size on several synthetic chains (the chain's seed is also
NSGA-II's and CP-SAT's). ``--reference-cache FILE`` keeps CP-SAT's results in a JSON file,
keyed by size, seed and time limit, so that trying changes of NSGA-II does not solve the
references again; without it CP-SAT runs every time.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

# The script's own folder holds a bench named http.py, which would hide the standard library's.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from pymoo.indicators.hv import HV  # noqa: E402

from yachi.rostering.planner.check import check  # noqa: E402
from yachi.rostering.planner.compiled import Compiled  # noqa: E402
from yachi.rostering.planner.model import Objectives  # noqa: E402
from yachi.rostering.planner.nsga import propose  # noqa: E402
from yachi.rostering.planner.reference import minimisation, solve_reference, weighted_sum  # noqa: E402
from yachi.rostering.planner.synthetic import chain  # noqa: E402

LABELS = (
    "unmet demand (weighted min)",
    "imbalance (h)",
    "overtime (h)",
    "preferences violated",
    "emergency buffer kept (min)",
)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, load average {load:.1f}"


def references(instance, size: int, seed: int, cpsat_seconds: float, cache: Path | None) -> dict:
    """CP-SAT on the weighted sum and on each objective first: name -> (status, seconds,
    the minimised objectives or None, the weighted sum or None)."""
    key = f"{size}/{seed}/{cpsat_seconds:g}"
    stored = json.loads(cache.read_text()) if cache is not None and cache.exists() else {}
    if key in stored:
        return stored[key]
    compiled = Compiled(instance)
    runs = {"weighted": None, **{name: j for j, name in enumerate(Objectives.NAMES)}}
    found = {}
    for name, first in runs.items():
        r = solve_reference(instance, first=first, time_limit_seconds=cpsat_seconds, seed=seed)
        point = list(minimisation(r.objectives, compiled)) if r.objectives is not None else None
        found[name] = (r.status, r.seconds, point, r.weighted)
    if cache is not None:
        stored = json.loads(cache.read_text()) if cache.exists() else {}
        stored[key] = found
        cache.write_text(json.dumps(stored, indent=1))
    return found


def run(
    size: int, nsga_seconds: float, cpsat_seconds: float, seed: int, cache: Path | None
) -> dict:
    instance = chain(size, 14, seed=seed)
    compiled = Compiled(instance)
    started = time.monotonic()
    options = propose(
        instance,
        seed=seed,
        time_limit_seconds=nsga_seconds,
        max_generations=100_000,
        max_options=None,
    )
    nsga_time = time.monotonic() - started
    broken = sum(len(check(instance, o.shifts, o.uncovered_appointments)) for o in options)
    front = np.array([minimisation(o.objectives, compiled) for o in options])

    solved = references(instance, size, seed, cpsat_seconds, cache)
    cp_points = np.array([point for _s, _t, point, _w in solved.values() if point is not None])

    everything = np.vstack([front, cp_points])
    ideal, nadir = everything.min(axis=0), everything.max(axis=0)
    scale = np.where(nadir > ideal, nadir - ideal, 1.0)
    hv = HV(ref_point=np.full(5, 1.1))
    volume = 1.1**5
    nsga_hv = hv((front - ideal) / scale) / volume
    cp_hv = hv((cp_points - ideal) / scale) / volume

    print(
        f"\n#### {size} doctors, seed {seed}, {len(instance.clinics)} clinics, 14 days ({len(compiled.half_days)} clinic half-days, {len(compiled.slots)} genes)\n"
    )
    print(
        f"NSGA-II: {nsga_time:.1f} s, {len(options)} options on the front, {broken} hard-constraint violations"
    )
    statuses = ", ".join(f"{k}: {status} {t:.0f} s" for k, (status, t, _p, _w) in solved.items())
    print(f"CP-SAT runs ({cpsat_seconds:g} s limit each, 2 workers): {statuses}")
    print(
        f"Hypervolume (normalised to the ideal and nadir of both, reference 1.1): NSGA-II front {nsga_hv:.3f}, the {len(cp_points)} CP-SAT points {cp_hv:.3f}\n"
    )
    print("| objective | NSGA-II best | CP-SAT best | gap | within 5 % |")
    print("|---|---|---|---|---|")
    target = compiled.buffer_target
    met_all = []
    for j, label in enumerate(LABELS):
        mine, theirs = front[:, j].min(), cp_points[:, j].min()
        if j == 4:  # shown as minutes kept, compared as shortfall
            shown_mine, shown_theirs = target - mine, target - theirs
        else:
            shown_mine, shown_theirs = mine, theirs
        if theirs > 0:
            gap = (mine - theirs) / theirs
            gap_text = f"{gap:+.1%}"
            met = gap <= 0.05
        else:
            gap = (mine - theirs) / scale[j]
            gap_text = f"{mine - theirs:+g} ({gap:+.1%} of the range)"
            met = mine <= theirs + 1e-9
        met_all.append(met)
        print(
            f"| {label} | {shown_mine:g} | {shown_theirs:g} | {gap_text} | {'yes' if met else 'no'} |"
        )
    nsga_weighted = min(weighted_sum(p) for p in front)
    cp_weighted = solved["weighted"][3]
    if cp_weighted is not None:
        print(
            f"| weighted sum | {nsga_weighted:.0f} | {cp_weighted:.0f} | {(nsga_weighted - cp_weighted) / cp_weighted:+.1%} | {'yes' if nsga_weighted <= 1.05 * cp_weighted else 'no'} |"
        )
    return {
        "size": size,
        "seed": seed,
        "seconds": nsga_time,
        "violations": broken,
        "objectives_met": sum(met_all),
        "under_limit": nsga_time < 10.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,20,50")
    parser.add_argument("--nsga-seconds", type=float, default=9.0)
    parser.add_argument("--cpsat-seconds", type=float, default=20.0)
    parser.add_argument("--seeds", "--seed", default="0")
    parser.add_argument("--reference-cache", type=Path, default=None)
    args = parser.parse_args()
    print(f"Roster optimizer, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {machine()}")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        for seed in (int(s) for s in args.seeds.split(",")):
            results.append(
                run(size, args.nsga_seconds, args.cpsat_seconds, seed, args.reference_cache)
            )
    print("\n| doctors | seed | NSGA-II (s) | violations | objectives within 5 % |")
    print("|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['size']} | {r['seed']} | {r['seconds']:.1f} | {r['violations']} | {r['objectives_met']} of 5 |"
        )
    print(f"\nFinished {time.strftime('%H:%M UTC', time.gmtime())}, {machine()}")


if __name__ == "__main__":
    main()
