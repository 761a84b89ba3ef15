"""Other contexts' evidence for the caries-risk heat map, by registration.

An imaging context registers a provider in its ``AppConfig.ready``::

    clinical.register_risk_marks(lambda patient_pk: [RiskMark("16", 0.82, "imaging:v1")])

and the chart folds the marks into each tooth's risk. Clinical never imports it.
"""

from collections.abc import Callable, Iterable

from yachi.clinical.odontogram.risk import Mark as RiskMark

RiskMarkProvider = Callable[[int], Iterable[RiskMark]]
_providers: list[RiskMarkProvider] = []


def register_risk_marks(provider: RiskMarkProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def risk_marks_of(patient_pk: int) -> list[RiskMark]:
    marks: list[RiskMark] = []
    for provider in _providers:
        marks.extend(provider(patient_pk))
    return marks
