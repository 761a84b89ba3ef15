"""The demand forecast's backtest on the demo's year: MAE and MASE of the forecast and
of the seasonal naive baseline (the same half-day a week before), per demo clinic.

    .venv/bin/python bench/forecast.py [--weeks 26]

Builds the demo's plan in memory (no database), sums its booked minutes per clinic,
skill, date and half-day, and replays the last weeks, each forecast from what came
before it. The calendar is the demo's: national holidays (the flagship opens on them,
the others close) and its school holidays.
"""

import sys
from pathlib import Path

# Scripts here import each other as the package ``bench``; this folder must leave the
# path, or bench/http.py would stand in for the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from bench._common import configure  # noqa: E402

ZONE = ZoneInfo("Asia/Shanghai")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--now", default="2026-12-02", help="the demo's today (YYYY-MM-DD)")
    args = parser.parse_args()
    configure()
    import django

    django.setup()
    from yachi.clinics import holidays
    from yachi.demo.builder import CLINICS, SERVICES, demo_plan
    from yachi.demo.plan import CANCELLED, HISTORY_DAYS, school_holidays
    from yachi.rostering.forecast.model import Day, backtest, observations

    now = datetime.combine(date.fromisoformat(args.now), datetime.min.time(), ZONE)
    started = time.perf_counter()
    plan = demo_plan(now=now)
    planned = time.perf_counter() - started
    today = now.date()
    first, last = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)
    skill_of = {code: str(skill) for code, _n, _e, _m, _p, skill in SERVICES}
    skills = sorted(set(skill_of.values()))
    public = {}
    for year in range(first.year, last.year + 1):
        with contextlib.suppress(holidays.YearNotCovered):
            public.update({p.day: p for p in holidays.public_days(year)})
    school = school_holidays(first, last)
    print(f"demo plan: {len(plan.visits)} visits, built in {planned:.1f} s")
    print(
        f"machine: {platform.node()} · {platform.processor() or platform.machine()} · "
        f"Python {sys.version.split()[0]}"
    )
    print(f"history {first} – {last}, backtest over the last {args.weeks} weeks, one week ahead")
    print(
        f"{'clinic':<22}{'MAE':>8}{'MASE':>8}{'naive MAE':>11}{'naive MASE':>12}{'cells':>8}"
        f"{'seconds':>9}"
    )
    for index, spec in enumerate(CLINICS):
        opens_on_holidays = index == 0
        calendar = {}
        for n in range((last - first).days + 1):
            day = first + timedelta(days=n)
            item = public.get(day)
            holiday = item.name if item and item.kind == holidays.HOLIDAY else ""
            calendar[day] = Day(
                day,
                open=not holiday or opens_on_holidays,
                works_as=0 if item and item.kind == holidays.WORKDAY else None,
                holiday=holiday,
                school_holiday=any(a <= day <= b for a, b in school),
            )
        history = observations(
            (
                visit.start.astimezone(ZONE),
                (visit.end - visit.start).total_seconds() / 60,
                skill_of[visit.service],
            )
            for visit in plan.visits
            if visit.clinic == index
            and visit.status != CANCELLED
            and visit.start.astimezone(ZONE).date() <= last
        )
        started = time.perf_counter()
        result = backtest(
            history=history,
            calendar=calendar,
            skills=skills,
            first=first,
            last=last,
            weeks=args.weeks,
        )
        took = time.perf_counter() - started
        print(
            f"{spec['name']:<22}{result.mae:>8.1f}{result.mase:>8.3f}{result.baseline_mae:>11.1f}"
            f"{result.baseline_mase:>12.3f}{result.cells:>8}{took:>9.2f}"
        )


if __name__ == "__main__":
    main()
