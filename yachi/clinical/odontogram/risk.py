"""Per-tooth caries risk for the chart's heat map (龋齿风险可视化).

A score from 0 to 1 per present tooth, from what the chart says and what it said before:
active caries now; caries and fillings in the tooth's history (a tooth once decayed
decays again more often); caries on a neighbour (shared contact points); the mouth's
overall caries experience (DMFT + dmft); a sealant on the biting surface lowers it.
Other evidence (an imaging model's suspected lesions, say) arrives as ``Mark``s, each a
probability for one tooth; the strongest mark on a tooth raises its score towards it.

The weights are a transparent rule of thumb, not a validated clinical model; the
levels only order teeth for attention.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from yachi.clinical.odontogram.chart import Tooth
from yachi.clinical.odontogram.teeth import neighbours

LEVELS = ((0.6, "high"), (0.3, "moderate"), (0.0, "low"))


@dataclass(frozen=True)
class Mark:
    tooth: str
    probability: float  # 0–1
    source: str  # who says so, e.g. "imaging:caries-model-v1"


@dataclass(frozen=True)
class ToothRisk:
    tooth: str
    score: float
    level: str  # low / moderate / high
    reasons: tuple[str, ...]  # codes: active_caries, caries_before, filled, neighbour, …


def level_of(score: float) -> str:
    return next(name for floor, name in LEVELS if score >= floor)


def tooth_risks(
    *,
    chart: dict[str, Tooth],
    present: set[str],
    caries_experience: int,
    marks: Iterable[Mark] = (),
) -> dict[str, ToothRisk]:
    strongest: dict[str, Mark] = {}
    for mark in marks:
        probability = min(max(float(mark.probability), 0.0), 1.0)
        if mark.tooth in present and probability > getattr(
            strongest.get(mark.tooth), "probability", -1
        ):
            strongest[mark.tooth] = Mark(mark.tooth, probability, mark.source)
    baseline = min(0.05 + 0.03 * caries_experience, 0.25)
    risks = {}
    for code in sorted(present):
        tooth = chart.get(code) or Tooth(tooth=code)
        if tooth.gone:
            continue  # no enamel to decay: shown without colour
        score, reasons = baseline, []
        if caries_experience:
            reasons.append("caries_experience")
        if tooth.decayed:
            score += 0.6
            reasons.append("active_caries")
        past = [e for e in tooth.history if not e.withdrawn and e.kind == "caries"]
        if past and not tooth.decayed:
            score += min(0.15 * len(past), 0.3)
            reasons.append("caries_before")
        if "filling" in tooth.surfaces.values() or tooth.state == "crown":
            score += 0.1
            reasons.append("restored")
        if any((chart.get(n) and chart[n].decayed) for n in neighbours(code)):
            score += 0.1
            reasons.append("neighbour_caries")
        if tooth.surfaces.get("O") == "sealant":
            score -= 0.1
            reasons.append("sealed")
        mark = strongest.get(code)
        if mark is not None:
            score = score + (1 - score) * mark.probability if mark.probability > score else score
            reasons.append("mark")
        score = round(min(max(score, 0.0), 1.0), 2)
        risks[code] = ToothRisk(
            tooth=code, score=score, level=level_of(score), reasons=tuple(reasons)
        )
    return risks
