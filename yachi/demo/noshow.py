"""No-show risk in the demo: models learned from the year's visits (whose no-shows follow
habits, lead times, Monday mornings and unanswered reminders), a policy at the first two
clinics, and the coming two weeks scored (ADR 0051)."""

from dataclasses import dataclass

from yachi.crm import facade as crm


@dataclass(frozen=True)
class NoShowSummary:
    models: int
    scored: int
    auc: float | None
    baseline_auc: float | None


def build_no_show(*, clinics, manager, now) -> NoShowSummary:
    written = crm.models_train(now=now)
    crm.policy_save(
        actor=manager,
        clinic=clinics[0],
        threshold_percent=20,
        require_deposit=True,
        deposit_fen=5000,
        extra_reminder=True,
        confirmation_call=True,
    )
    if len(clinics) > 1:
        crm.policy_save(
            actor=manager,
            clinic=clinics[1],
            threshold_percent=25,
            require_deposit=False,
            deposit_fen=5000,
            extra_reminder=False,
            confirmation_call=True,
        )
    scored = crm.scores_refresh(now=now)
    chain = next((m for m in written if m.clinic_id is None), None)
    test = chain.backtest if chain is not None else {}
    return NoShowSummary(
        models=len(written),
        scored=scored,
        auc=test.get("model", {}).get("auc"),
        baseline_auc=test.get("baseline", {}).get("auc"),
    )
