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
from datetime import date, timedelta

from django.conf import settings

from yachi.booking import cache
from yachi.clinics import facade as clinics
from yachi.rostering import facade as rostering

# Beyond this many entries a process starts again from nothing: a bound, not a policy.
MOST_ENTRIES = 4096
# A patient books up to a fortnight ahead (``services.PATIENT_HORIZON_DAYS``).
DAYS_READ_TOGETHER = timedelta(days=14)

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


def working_time(
    *,
    doctor_id: int,
    clinic_id: int,
    zone,
    day: date,
    versions: tuple[str, str],
    for_patients: bool = True,
):
    """The doctor's bookable intervals at the clinic on ``day`` (``rostering``'s answer):
    for a patient without the emergency buffer, for staff with it."""
    entry = _working.get((doctor_id, clinic_id, str(zone), day, for_patients))
    if _fresh(entry, versions):
        return entry[2]
    # The fortnight from ``day`` in the same three queries as the day alone: bookings
    # spread over the days patients may book, and each would otherwise read its own.
    read = rostering.working_intervals(
        doctor_ids=[doctor_id],
        clinic_id=clinic_id,
        zone=zone,
        first_day=day,
        last_day=day + DAYS_READ_TOGETHER - timedelta(days=1),
        for_patients=for_patients,
    )
    for (_doctor_id, each_day), intervals in read.items():
        key = (doctor_id, clinic_id, str(zone), each_day, for_patients)
        _remember(_working, key, versions, intervals)
    return read[(doctor_id, day)]


def active_chairs(*, clinic_id: int, versions: tuple[str, str]) -> list:
    """The clinic's chairs taking bookings, by name (ids and names only): under the
    clinic's version alone, so that its doctors share them."""
    entry = _chairs.get(clinic_id)
    if _fresh(entry, versions[1]):
        return entry[2]
    chairs = clinics.active_chairs(clinic_id=clinic_id)
    _remember(_chairs, clinic_id, versions[1], chairs)
    return chairs
