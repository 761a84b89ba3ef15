"""Where the booking history comes from. Booking stands above rostering, so it tells
rostering how to read its history (ADR 0020's registration), once for everything rostering
learns from it: ``register_booking_history`` with a function
``(*, clinic_ids, start, end) -> iterable of visits`` — one per visit that held a doctor's
time between ``start`` and ``end`` (not cancelled: a no-show held its time too), each with
``clinic_id``, ``skill``, ``start``, ``end`` (aware datetimes) and ``emergency`` (it came
through emergency dispatch or is an emergency service). The demand forecast reads its
booked minutes from it, and a roster proposal the urgent share of demand (ADR 0054, 0056).
"""

from collections.abc import Callable
from datetime import datetime

_sources: list[Callable] = []


def register_booking_history(function: Callable) -> None:
    if function not in _sources:
        _sources.append(function)


def history(*, clinic_ids, start: datetime, end: datetime) -> list:
    """Every visit of the history at these clinics between ``start`` and ``end``."""
    return [
        visit
        for source in _sources
        for visit in source(clinic_ids=list(clinic_ids), start=start, end=end)
    ]


def booked_minutes(*, clinic_id: int, start: datetime, end: datetime) -> list[tuple]:
    """The history of one clinic as the forecast learns from it: ``(start, minutes, skill)``."""
    return [
        (visit.start, (visit.end - visit.start).total_seconds() / 60, visit.skill)
        for visit in history(clinic_ids=[clinic_id], start=start, end=end)
    ]
