"""The no-show model: a logistic regression fitted with scikit-learn, kept as its
coefficients, and its backtest against the patient's past no-show rate (ADR 0051).

No Django here. ``fit`` learns from samples (``features.samples_of``); ``Coefficients``
scores with plain arithmetic, so that a booking or a page never loads scikit-learn;
``backtest`` splits by time (learn from the older samples, judge on the newer) and
reports AUC, the Brier score and reliability bins for the model and for the baseline.
"""

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from yachi.crm.noshow.features import FEATURES, Sample, past_no_show_rate

# Below these a clinic's own history is too thin to learn from: the chain's model scores.
MIN_SAMPLES = 150
MIN_NO_SHOWS = 12
BINS = 10
# The share of the (time-ordered) samples the backtest learns from; the rest judge it.
TRAIN_SHARE = 0.75


@dataclass(frozen=True)
class Coefficients:
    names: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    means: tuple[float, ...]

    def log_odds(self, x: Sequence[float]) -> float:
        return self.intercept + sum(w * v for w, v in zip(self.weights, x, strict=True))

    def probability(self, x: Sequence[float]) -> float:
        z = self.log_odds(x)
        if z >= 0:
            return 1 / (1 + math.exp(-z))
        e = math.exp(z)
        return e / (1 + e)

    def contributions(self, x: Sequence[float]) -> list[float]:
        """Each feature's part in the log-odds, against the average training sample."""
        return [w * (v - m) for w, v, m in zip(self.weights, x, self.means, strict=True)]


class NotEnoughHistory(ValueError):
    """Too few samples, or only one outcome among them, to fit a model."""


def fit(samples: Sequence[Sample], *, strength: float = 1.0) -> Coefficients:
    """A logistic regression (L2, ``C=strength``) over the samples' features."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    labels = [s.y for s in samples]
    if len(samples) < 2 or len(set(labels)) < 2:
        raise NotEnoughHistory("both outcomes are needed to learn from")
    x = np.array([s.x for s in samples], dtype=float)
    y = np.array(labels, dtype=int)
    model = LogisticRegression(C=strength, max_iter=500)
    model.fit(x, y)
    return Coefficients(
        names=FEATURES,
        weights=tuple(float(w) for w in model.coef_[0]),
        intercept=float(model.intercept_[0]),
        means=tuple(float(m) for m in x.mean(axis=0)),
    )


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    predicted: float  # the mean predicted probability in the bin
    observed: float  # the share of no-shows in the bin


@dataclass(frozen=True)
class Scores:
    auc: float | None
    brier: float
    bins: list[Bin]


@dataclass(frozen=True)
class Backtest:
    train_samples: int
    test_samples: int
    test_no_shows: int
    split_at: str  # the first start judged, ISO 8601
    model: Scores
    baseline: Scores
    extra: dict = field(default_factory=dict)

    @property
    def model_beats_baseline(self) -> bool | None:
        if self.model.auc is None or self.baseline.auc is None:
            return None
        return self.model.auc > self.baseline.auc and self.model.brier <= self.baseline.brier

    def as_dict(self) -> dict:
        return asdict(self)


def scores_of(predicted: Sequence[float], labels: Sequence[int]) -> Scores:
    from sklearn.metrics import brier_score_loss, roc_auc_score

    auc = float(roc_auc_score(labels, predicted)) if len(set(labels)) == 2 else None
    brier = float(brier_score_loss(labels, predicted)) if labels else 0.0
    return Scores(auc=auc, brier=brier, bins=reliability_bins(predicted, labels))


def reliability_bins(predicted: Sequence[float], labels: Sequence[int]) -> list[Bin]:
    """Equal-width bins of the predicted probability, the empty ones left out."""
    sums: dict[int, list[float]] = {}
    for p, y in zip(predicted, labels, strict=True):
        index = min(int(p * BINS), BINS - 1)
        entry = sums.setdefault(index, [0, 0.0, 0])
        entry[0] += 1
        entry[1] += p
        entry[2] += y
    return [
        Bin(
            low=index / BINS,
            high=(index + 1) / BINS,
            count=count,
            predicted=total / count,
            observed=positives / count,
        )
        for index, (count, total, positives) in sorted(sums.items())
    ]


def backtest(samples: Sequence[Sample], *, strength: float = 1.0) -> Backtest:
    """Learn from the oldest ``TRAIN_SHARE`` of the samples (they are in time order),
    then score the newer ones with the model and with the baseline."""
    cut = int(len(samples) * TRAIN_SHARE)
    train, test = samples[:cut], samples[cut:]
    if not test:
        raise NotEnoughHistory("nothing left to judge the model on")
    coefficients = fit(train, strength=strength)
    prior = sum(s.y for s in train) / len(train)
    labels = [s.y for s in test]
    model = [coefficients.probability(s.x) for s in test]
    baseline = [past_no_show_rate(s.history, prior=prior) for s in test]
    return Backtest(
        train_samples=len(train),
        test_samples=len(test),
        test_no_shows=sum(labels),
        split_at=test[0].visit.start.isoformat(),
        model=scores_of(model, labels),
        baseline=scores_of(baseline, labels),
    )


def enough(samples: Sequence[Sample]) -> bool:
    return len(samples) >= MIN_SAMPLES and sum(s.y for s in samples) >= MIN_NO_SHOWS
