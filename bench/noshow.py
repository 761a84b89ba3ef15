"""No-show risk on the demo chain's year: the backtest of the logistic model against the
baseline (the patient's own past no-show rate), and what training and scoring cost.

    python bench/noshow.py

The year is the demo's plan (``yachi/demo/plan.py``, the same seed and visits that
``yachi demo`` writes), turned into samples by the same pure functions the job uses
(``yachi/crm/noshow/features.py``), so no database is needed. Prints, for the chain and for
each clinic: samples, no-shows, AUC and Brier score of both, the reliability bins of the
model, and the time to build the samples, fit, backtest and score one appointment.
"""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from bench import _common  # noqa: E402

_common.configure()

from yachi.crm.noshow import features, learning  # noqa: E402
from yachi.demo.builder import demo_plan  # noqa: E402

NOW = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _auc(value) -> str:
    return "—" if value is None else f"{value:.3f}"


def _cpu():
    return time.process_time()


def main() -> None:
    started = _cpu()
    plan = demo_plan(now=NOW)
    planned = _cpu()
    visits = [
        features.Visit(
            patient_id=v.person,
            start=v.start,
            booked_at=v.booked_at,
            channel=v.channel,
            status=v.status,
            confirmed=v.confirmed_at is not None,
            deposit_paid=v.deposit is not None and v.status != "cancelled",
            clinic_id=v.clinic,
            key=n,
        )
        for n, v in enumerate(plan.visits)
    ]
    samples = features.samples_of(visits, zone_of=lambda _clinic: SHANGHAI)
    sampled = _cpu()
    learning.fit(samples[:200])  # the library's import, once
    imported = _cpu()
    coefficients = learning.fit(samples)
    fitted = _cpu()
    print(f"demo year (seed 2026, now {NOW:%Y-%m-%d}): {len(plan.visits)} appointments planned")
    print(
        f"CPU: plan {planned - started:.2f} s, samples {sampled - planned:.2f} s, "
        f"first fit with the library's import {imported - sampled:.2f} s, "
        f"fit on all {len(samples)} samples {fitted - imported:.3f} s"
    )
    scopes = [("chain-wide", samples)] + [
        (f"clinic {c + 1}", [s for s in samples if s.visit.clinic_id == c])
        for c in sorted({s.visit.clinic_id for s in samples})
    ]
    for name, own in scopes:
        no_shows = sum(s.y for s in own)
        print(f"\n{name}: {len(own)} samples, {no_shows} no-shows ({no_shows / len(own):.1%})")
        if not learning.enough(own):
            print("  too little history for a model of its own: the chain's model scores")
            continue
        before = _cpu()
        test = learning.backtest(own)
        took = _cpu() - before
        m, b = test.model, test.baseline
        beats = test.model_beats_baseline
        print(
            f"  time split at {test.split_at[:10]}: learned from {test.train_samples}, "
            f"judged on {test.test_samples} ({test.test_no_shows} no-shows); {took:.2f} s CPU"
        )
        print(f"  model    AUC {_auc(m.auc)}  Brier {m.brier:.4f}")
        print(f"  baseline AUC {_auc(b.auc)}  Brier {b.brier:.4f}")
        print(
            f"  {'the model beats the baseline' if beats else 'the model does NOT beat the baseline'}"
        )
        print("  model reliability: band  n  mean predicted -> observed")
        for bin_ in m.bins:
            print(
                f"    {bin_.low:.0%}-{bin_.high:.0%}  {bin_.count:>5}  "
                f"{bin_.predicted:.1%} -> {bin_.observed:.1%}"
            )
    x = samples[-1].x
    rounds = 20000
    before = time.perf_counter()
    for _ in range(rounds):
        coefficients.probability(x)
        coefficients.contributions(x)
    each = (time.perf_counter() - before) / rounds
    print(f"\nscoring one appointment from stored coefficients: {each * 1e6:.1f} µs")
    print(
        "weights: "
        + ", ".join(
            f"{n} {w:+.2f}" for n, w in zip(coefficients.names, coefficients.weights, strict=True)
        )
    )


if __name__ == "__main__":
    main()
