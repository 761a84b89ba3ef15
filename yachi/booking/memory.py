"""What a booking checks against that rarely changes — a doctor's working time on a day
at a clinic, and the clinic's chairs — remembered by each process under the
availability cache's versions (ADR 0003, ADR 0036).

A remembered answer is used only while the doctor's roster version and the clinic's
version (chairs and calendar) are the ones it was read under: a roster, calendar or
chair change replaces them after its commit, as it does for the cached availability,
and one ``MGET`` asks for both. A change written without its event (a raw edit) is
seen when the memory expires, after ``YACHI_AVAILABILITY_CACHE_SECONDS`` at most, as
the cached availability would show it. The double-booking guard never rests on this:
the exclusion constraints decide every INSERT.
"""

import time
from datetime import date

from django.conf import settings

from yachi.booking import cache
from yachi.clinics import facade as clinics
from yachi.rostering import facade as rostering

# Beyond this many entries a process starts again from nothing: a bound, not a policy.
MOST_ENTRIES = 4096

_working: dict[tuple, tuple] = {}
_chairs: dict[int, tuple] = {}


def _fresh(entry, versions) -> bool:
    return (
        entry is not None
        and entry[0] == versions
        and time.monotonic() - entry[1] < settings.YACHI_AVAILABILITY_CACHE_SECONDS
    )


def _remember(memory: dict, key, versions, value) -> None:
    if len(memory) >= MOST_ENTRIES:
        memory.clear()
    memory[key] = (versions, time.monotonic(), value)


def versions(*, doctor_id: int, clinic_id: int) -> tuple[str, str]:
    """The versions a booking's remembered answers must match: one cache round trip."""
    return cache.roster_versions(doctor_id=doctor_id, clinic_id=clinic_id)


def working_time(*, doctor_id: int, clinic_id: int, zone, day: date, versions: tuple[str, str]):
    """The doctor's bookable intervals at the clinic on ``day`` (``rostering``'s answer)."""
    key = (doctor_id, clinic_id, str(zone), day)
    entry = _working.get(key)
    if _fresh(entry, versions):
        return entry[2]
    intervals = rostering.working_intervals(
        doctor_ids=[doctor_id], clinic_id=clinic_id, zone=zone, first_day=day, last_day=day
    )[(doctor_id, day)]
    _remember(_working, key, versions, intervals)
    return intervals


def active_chairs(*, clinic_id: int, versions: tuple[str, str]) -> list:
    """The clinic's chairs taking bookings, by name (ids and names only): under the
    clinic's version alone, so that its doctors share them."""
    entry = _chairs.get(clinic_id)
    if _fresh(entry, versions[1]):
        return entry[2]
    chairs = clinics.active_chairs(clinic_id=clinic_id)
    _remember(_chairs, clinic_id, versions[1], chairs)
    return chairs


def forget() -> None:
    """Everything remembered dropped (tests start each from nothing)."""
    _working.clear()
    _chairs.clear()
