"""Where the dashboards' NPS comes from: a registration, not a guess (ADR 0053).

Satisfaction surveys (``crm.feedback``) own the scores. They register one function
with ``register_nps_source`` in their ``AppConfig.ready()``; the dashboard calls it with
the clinics (primary keys) and the time range and shows what it returns. With nothing
registered, or no answers in the range, the dashboard shows "—" and says why; it never
makes a number up.

The source answers ``NpsFigure`` (or None when nobody answered): counts of promoters
(9–10), passives (7–8) and detractors (0–6), and the patients who answered, for the
figure's list page.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class NpsFigure:
    promoters: int
    passives: int
    detractors: int
    patient_ids: tuple[int, ...] = field(default=())

    @property
    def responses(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> int | None:
        """Net promoter score, −100 to 100, rounded; None without answers."""
        if not self.responses:
            return None
        return round(100 * (self.promoters - self.detractors) / self.responses)


NpsSource = Callable[..., "NpsFigure | None"]

_source: list[NpsSource] = []


def register_nps_source(source: NpsSource) -> None:
    """``source(*, clinic_ids: list[int], start: datetime, end: datetime)`` → NpsFigure
    or None. One source: registering again replaces it (a test, a reload)."""
    _source[:] = [source]


def unregister_nps_source() -> None:
    _source.clear()


def nps_source_registered() -> bool:
    return bool(_source)


def nps_between(*, clinic_ids: Iterable[int], start: datetime, end: datetime) -> NpsFigure | None:
    if not _source:
        return None
    return _source[0](clinic_ids=list(clinic_ids), start=start, end=end)
