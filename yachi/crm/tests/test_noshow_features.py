"""The no-show model's pure parts: what is known of a patient before a visit, the
features of one appointment, its reasons, and the backtest against the baseline."""

import math
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from yachi.crm.noshow import features, learning
from yachi.crm.noshow.features import History, Visit

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)


def visit(start, status="completed", *, lead_days=3, channel="api", patient=1, **kw):
    return Visit(
        patient_id=patient,
        start=start,
        booked_at=start - timedelta(days=lead_days),
        channel=channel,
        status=status,
        **kw,
    )


def test_history_counts_only_outcomes_known_before_the_visit_and_the_last_year_apart():
    earlier = [
        visit(MONDAY_9 - timedelta(days=400), "no_show"),
        visit(MONDAY_9 - timedelta(days=100), "no_show"),
        visit(MONDAY_9 - timedelta(days=50), "completed"),
        visit(MONDAY_9 - timedelta(days=20), "cancelled"),
        visit(MONDAY_9 + timedelta(days=1), "no_show"),  # after: not known yet
    ]
    history = features.history_of(earlier, as_of=MONDAY_9)
    assert history == History(no_shows_12m=1, visits_12m=1, no_shows=2, visits=1)


def test_a_monday_morning_booked_three_weeks_ahead_online():
    x = dict(
        zip(
            features.FEATURES,
            features.features_of(visit(MONDAY_9, lead_days=21), History(), zone=SHANGHAI),
            strict=True,
        )
    )
    assert x["monday_morning"] == 1 and x["online"] == 1 and x["first_visit"] == 1
    assert x["lead_days_log"] == pytest.approx(math.log1p(21))
    assert x["weekend"] == 0 and x["confirmed"] == 0


def test_walk_ins_are_not_scored_and_cancelled_visits_teach_nothing():
    assert not features.is_scored(visit(MONDAY_9, channel="walk_in"))
    assert visit(MONDAY_9, "cancelled").outcome is None
    assert visit(MONDAY_9, "no_show").outcome == 1
    assert visit(MONDAY_9, "arrived").outcome == 0


def test_the_baseline_is_the_patients_own_rate_or_the_clinics_for_a_new_patient():
    assert features.past_no_show_rate(History(no_shows=1, visits=3), prior=0.05) == 0.25
    assert features.past_no_show_rate(History(), prior=0.05) == 0.05


def test_reasons_name_what_pushes_the_risk_up_and_is_true_of_this_visit():
    v = visit(MONDAY_9, lead_days=21, confirmed=False)
    history = History(no_shows_12m=3, visits_12m=1, no_shows=3, visits=1)
    x = features.features_of(v, history, zone=SHANGHAI)
    parts = {name: 0.0 for name in features.FEATURES}
    parts.update(no_shows_12m=1.5, lead_days_log=0.6, online=0.2, confirmed=0.4, weekend=0.9)
    reasons = features.reasons_of(v, history, x, [parts[n] for n in features.FEATURES])
    # "weekend" pushes hardest but is not true of a Monday: left out.
    assert [(r.code, r.value) for r in reasons] == [
        ("past_no_shows", 3),
        ("lead_time", 21),
        ("not_confirmed", 0),
    ]


def _synthetic(n=1200, seed=7):
    """Patients who miss when booked long ahead and unconfirmed; a few who miss often."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 6, 1, 0, tzinfo=UTC)
    visits = []
    for i in range(n):
        patient = rng.randrange(300)
        moment = start + timedelta(hours=7 * i)
        lead = rng.choice([1, 2, 3, 7, 14, 30, 45])
        confirmed = rng.random() < 0.5
        habit = patient < 20
        logit = -4 + 0.8 * math.log1p(lead) - 1.2 * confirmed + 2.0 * habit
        status = "no_show" if rng.random() < 1 / (1 + math.exp(-logit)) else "completed"
        visits.append(
            visit(moment, status, lead_days=lead, patient=patient, confirmed=confirmed, key=i)
        )
    return features.samples_of(visits, zone_of=lambda _clinic: SHANGHAI)


@pytest.fixture(scope="module")
def samples():
    return _synthetic()


def test_the_backtest_learns_from_the_older_and_judges_on_the_newer(samples):
    test = learning.backtest(samples)
    assert test.train_samples + test.test_samples == len(samples)
    judged = samples[test.train_samples :]
    assert test.split_at == judged[0].visit.start.isoformat()
    assert all(s.visit.start <= judged[0].visit.start for s in samples[: test.train_samples])
    # Lead time and confirmations carry most of the signal: the model sees them, the
    # patient's past rate does not.
    assert test.model.auc > test.baseline.auc
    assert test.model.brier < test.baseline.brier
    assert sum(b.count for b in test.model.bins) == test.test_samples


def test_stored_coefficients_score_as_scikit_learn_does(samples):
    from sklearn.linear_model import LogisticRegression

    coefficients = learning.fit(samples)
    reference = LogisticRegression(C=1.0, max_iter=500).fit(
        [s.x for s in samples], [s.y for s in samples]
    )
    probabilities = reference.predict_proba([s.x for s in samples[:50]])[:, 1]
    for sample, expected in zip(samples[:50], probabilities, strict=True):
        assert coefficients.probability(sample.x) == pytest.approx(expected, abs=1e-9)


def test_reliability_bins_hold_the_mean_prediction_and_the_observed_share():
    bins = learning.reliability_bins([0.05, 0.07, 0.31, 0.99], [0, 1, 1, 1])
    assert [(b.low, b.count) for b in bins] == [(0.0, 2), (0.3, 1), (0.9, 1)]
    assert bins[0].predicted == pytest.approx(0.06) and bins[0].observed == 0.5


def test_one_outcome_only_is_not_enough_to_learn(samples):
    came = [s for s in samples if s.y == 0]
    with pytest.raises(learning.NotEnoughHistory):
        learning.fit(came)
    assert not learning.enough(samples[:100])
