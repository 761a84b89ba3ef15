"""What the no-show model knows of one appointment, as numbers (ADR 0051).

Pure: plain data in, plain data out, no Django. ``Visit`` is one appointment as the
platform knows it; ``features_of`` turns a visit and the patient's earlier visits into
the model's inputs, ``past_no_show_rate`` is the baseline the model must beat, and
``reasons_of`` names what pushes one appointment's risk up, as codes with figures that
the pages put into words.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

NO_SHOW = "no_show"
# Outcomes the model learns from: the patient came (whatever happened next) or did not.
CAME = frozenset({"arrived", "in_treatment", "completed"})
# Booked minutes before, or already at the clinic: no risk to score.
UNSCORED_CHANNELS = frozenset({"walk_in", "emergency"})
ONLINE_CHANNELS = frozenset({"patient_app", "api"})
YEAR = timedelta(days=365)

FEATURES = (
    "no_shows_12m",
    "visits_12m",
    "first_visit",
    "lead_days_log",
    "monday_morning",
    "weekend",
    "evening",
    "online",
    "waitlist",
    "deposit_paid",
    "confirmed",
)


@dataclass(frozen=True)
class Visit:
    patient_id: int
    start: datetime
    booked_at: datetime
    channel: str
    status: str
    confirmed: bool = False
    deposit_paid: bool = False
    clinic_id: int = 0
    key: int = 0

    @property
    def outcome(self) -> int | None:
        """1 for a no-show, 0 for a visit the patient came to, None for anything else
        (cancelled, still to come)."""
        if self.status == NO_SHOW:
            return 1
        if self.status in CAME:
            return 0
        return None


def is_scored(visit: Visit) -> bool:
    return visit.channel not in UNSCORED_CHANNELS


@dataclass(frozen=True)
class History:
    """The patient's outcomes known before a moment."""

    no_shows_12m: int = 0
    visits_12m: int = 0
    no_shows: int = 0
    visits: int = 0

    @property
    def known(self) -> int:
        return self.no_shows + self.visits


def history_of(earlier: Iterable[Visit], *, as_of: datetime) -> History:
    """What is known of the patient's visits that started before ``as_of``."""
    no_shows_12m = visits_12m = no_shows = visits = 0
    for visit in earlier:
        if visit.start >= as_of or visit.outcome is None:
            continue
        recent = visit.start >= as_of - YEAR
        if visit.outcome:
            no_shows += 1
            no_shows_12m += recent
        else:
            visits += 1
            visits_12m += recent
    return History(no_shows_12m, visits_12m, no_shows, visits)


def lead_days(visit: Visit) -> float:
    return max(0.0, (visit.start - visit.booked_at).total_seconds() / 86400)


def features_of(visit: Visit, history: History, *, zone: ZoneInfo) -> list[float]:
    """The model's inputs, in the order of ``FEATURES``. Counts are capped so that one
    patient with twenty visits does not stretch the scale for everyone."""
    local = visit.start.astimezone(zone)
    weekday, hour = local.weekday(), local.hour
    return [
        float(min(history.no_shows_12m, 5)),
        float(min(history.visits_12m, 10)),
        1.0 if history.known == 0 else 0.0,
        math.log1p(lead_days(visit)),
        1.0 if weekday == 0 and hour < 12 else 0.0,
        1.0 if weekday >= 5 else 0.0,
        1.0 if hour >= 18 else 0.0,
        1.0 if visit.channel in ONLINE_CHANNELS else 0.0,
        1.0 if visit.channel == "waitlist" else 0.0,
        1.0 if visit.deposit_paid else 0.0,
        1.0 if visit.confirmed else 0.0,
    ]


def past_no_show_rate(history: History, *, prior: float) -> float:
    """The baseline: the share of the patient's known visits they did not come to, and
    the clinic's overall share (``prior``) for a patient with none yet."""
    if history.known == 0:
        return prior
    return history.no_shows / history.known


@dataclass(frozen=True)
class Sample:
    visit: Visit
    history: History
    x: list[float]
    y: int


def samples_of(visits: Sequence[Visit], *, zone_of, since: datetime | None = None) -> list[Sample]:
    """Labelled samples from past visits, oldest first: each visit with an outcome that
    was booked ahead, with what was known of its patient when it started. ``visits``
    may hold every clinic's: a patient's history is theirs, wherever they went;
    ``zone_of(clinic_id)`` gives each clinic's time zone."""
    by_patient: dict[int, list[Visit]] = {}
    for visit in sorted(visits, key=lambda v: (v.start, v.key)):
        by_patient.setdefault(visit.patient_id, []).append(visit)
    samples = []
    for own in by_patient.values():
        for index, visit in enumerate(own):
            if visit.outcome is None or not is_scored(visit):
                continue
            if since is not None and visit.start < since:
                continue
            history = history_of(own[:index], as_of=visit.start)
            x = features_of(visit, history, zone=zone_of(visit.clinic_id))
            samples.append(Sample(visit, history, x, visit.outcome))
    samples.sort(key=lambda s: (s.visit.start, s.visit.key))
    return samples


@dataclass(frozen=True)
class Reason:
    """Why a risk is what it is: a code and the figure that goes with it."""

    code: str
    value: int = 0


def reasons_of(
    visit: Visit,
    history: History,
    x: Sequence[float],
    contributions: Sequence[float],
    *,
    limit: int = 3,
) -> list[Reason]:
    """The main reasons that push this appointment's risk up: features whose part in the
    score (weight × distance from the average appointment) is positive, largest first,
    and that say something true of this one (a flag that is set, a count that is there)."""
    found = []
    ranked = sorted(zip(FEATURES, x, contributions, strict=True), key=lambda item: -item[2])
    for name, value, part in ranked:
        if part <= 0.05:
            break
        reason = _reason(name, value, visit, history)
        if reason is not None:
            found.append(reason)
        if len(found) == limit:
            break
    return found


_FLAGS = {
    "first_visit": "first_visit",
    "monday_morning": "monday_morning",
    "weekend": "weekend",
    "evening": "evening",
    "online": "online",
    "waitlist": "waitlist",
}


def _reason(name: str, value: float, visit: Visit, history: History) -> Reason | None:
    if name == "no_shows_12m":
        return Reason("past_no_shows", history.no_shows_12m) if history.no_shows_12m else None
    if name == "visits_12m":
        return Reason("few_visits", history.visits_12m)
    if name == "lead_days_log":
        return Reason("lead_time", round(lead_days(visit)))
    if name in _FLAGS:
        return Reason(_FLAGS[name]) if value else None
    if name == "deposit_paid":
        return None if value else Reason("no_deposit")
    if name == "confirmed":
        return None if value else Reason("not_confirmed")
    return None
