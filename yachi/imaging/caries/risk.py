"""What the caries marks tell the chart's heat map (registered with clinical).

A confirmed mark on a tooth is a doctor's finding of caries there: it raises that tooth's
risk towards ``CONFIRMED``, whatever the model's own probability was. Suggestions and
rejected marks say nothing to the chart.
"""

from yachi.clinical.facade import RiskMark
from yachi.imaging.caries.selectors import confirmed_of_patient

CONFIRMED = 0.9


def risk_marks(patient_pk: int) -> list[RiskMark]:
    return [
        RiskMark(
            tooth=mark.tooth,
            probability=CONFIRMED,
            source=f"imaging:{mark.source}:{mark.model_version or 'doctor'}",
        )
        for mark in confirmed_of_patient(patient_pk)
    ]
