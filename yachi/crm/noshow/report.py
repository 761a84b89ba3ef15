"""A model version's backtest as lines of text (``yachi noshow``, ``bench/``)."""


def _auc(value) -> str:
    return "—" if value is None else f"{value:.3f}"


def backtest_lines(model) -> list[str]:
    scope = model.clinic.display_name if model.clinic_id else "chain-wide"
    test = model.backtest
    head = (
        f"{scope} v{model.version}: {model.samples} samples, {model.no_shows} no-shows "
        f"({model.prior:.1%})"
    )
    if not test:
        return [head, "  no backtest (too few samples)"]
    m, b = test["model"], test["baseline"]
    beats = (
        m["auc"] is not None
        and b["auc"] is not None
        and m["auc"] > b["auc"]
        and m["brier"] <= b["brier"]
    )
    lines = [
        head,
        f"  time split at {test['split_at'][:10]}: learned from {test['train_samples']}, "
        f"judged on {test['test_samples']} ({test['test_no_shows']} no-shows)",
        f"  model    AUC {_auc(m['auc'])}  Brier {m['brier']:.4f}",
        f"  baseline AUC {_auc(b['auc'])}  Brier {b['brier']:.4f}  (the patient's past no-show rate)",
        f"  {'the model beats the baseline' if beats else 'the model does NOT beat the baseline'}",
        "  reliability (predicted band: n, mean predicted → observed)",
    ]
    for bin_ in m["bins"]:
        lines.append(
            f"    {bin_['low']:.0%}–{bin_['high']:.0%}: {bin_['count']:>5}, "
            f"{bin_['predicted']:.1%} → {bin_['observed']:.1%}"
        )
    return lines
