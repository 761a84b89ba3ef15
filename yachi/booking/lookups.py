"""The service and doctor an availability read names, remembered by each process.

A read of a doctor's week (the API's and the patient page's) names a service and a doctor
by public id and needs both, with whether the doctor works at the service's clinic and
has its skill. Read from the database each time, they were two statements whose building
by the ORM cost more than the rest of a warm read. They change rarely, and every change
that matters replaces a version the read fetches anyway, in the same ``MGET`` as its
days' versions: the clinic's (``ClinicChanged`` for its settings and services,
``ChairsChanged``, ``CalendarChanged``) and the doctor's (``DoctorChanged`` for their
profile, skills, clinics or state, ``RosterChanged``).

So each process remembers what it read together with those two versions as they were
*before* it read the database, and uses it again while the ``MGET`` returns the same two;
a change committed anywhere is seen by the next read in every process. What a read found
before it knew the versions (its first in a process) is remembered without them and read
again by the next one. A version lost to eviction comes back as a new value, so it too
reads again, and nothing is used longer than ``YACHI_AVAILABILITY_CACHE_SECONDS`` (the
days' own bound) whatever the versions say. The objects remembered are shared by the
process's requests: read them, never change them.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from yachi.booking import cache, selectors
from yachi.clinics import facade as clinics

# Pairs of a service and a doctor a process remembers at most; past it, it starts over.
LIMIT = 4096


@dataclass(frozen=True)
class _Known:
    service: object
    doctor: object
    works_here: bool
    skilled: bool
    stamp: tuple[str, str] | None
    read_at: float


@dataclass(frozen=True)
class AvailabilityRead:
    """A service and a doctor with the doctor's fit, and the cache keys of their days."""

    service: object
    doctor: object
    works_here: bool
    skilled: bool
    party_size: int
    now: datetime
    keys: cache.DayKeys

    def days(self) -> list[selectors.DayAvailability]:
        return selectors.availability_of(
            doctor=self.doctor,
            service=self.service,
            party_size=self.party_size,
            now=self.now,
            keys=self.keys,
        )


_known: dict[tuple[str, str], _Known] = {}


def _read(service_id, doctor_id, stamp) -> _Known:
    service = clinics.service_by_id(service_id)
    doctor = clinics.doctor_for_service(doctor_id, service)
    works_here, skilled = clinics.doctor_fit(doctor=doctor, service=service)
    return _Known(service, doctor, works_here, skilled, stamp, time.monotonic())


def _shape(known: _Known) -> tuple:
    """What the days' keys are made of, besides the versions."""
    clinic = known.service.clinic
    return (
        known.doctor.pk,
        clinic.pk,
        clinic.timezone,
        clinic.slot_step_minutes,
        known.service.duration_minutes,
    )


def _remember(name: tuple[str, str], known: _Known) -> None:
    if len(_known) >= LIMIT:
        _known.clear()
    _known[name] = known


def forget_all() -> None:
    _known.clear()


def availability_read(
    *, service_id, doctor_id, days: int = 7, party_size: int = 1, now: datetime | None = None
) -> AvailabilityRead:
    """The service and doctor named by public ids (``NotFound`` as ``service_by_id`` and
    ``doctor_for_service`` answer it), their fit and their next ``days`` days' keys: one
    round trip and no SQL while neither changed, since this process last read them."""
    now = now or timezone.now()
    name = (str(service_id), str(doctor_id))

    def keys_of(known: _Known) -> cache.DayKeys:
        return selectors.availability_keys(
            doctor=known.doctor, service=known.service, days=days, party_size=party_size, now=now
        )

    known = _known.get(name)
    if known is None:
        known = _read(service_id, doctor_id, stamp=None)
        keys = keys_of(known)
        _remember(name, known)
    else:
        keys = keys_of(known)
        young = time.monotonic() - known.read_at < settings.YACHI_AVAILABILITY_CACHE_SECONDS
        if keys.stamp != known.stamp or not young:
            try:
                fresh = _read(service_id, doctor_id, stamp=keys.stamp)
            except Exception:
                _known.pop(name, None)
                raise
            if _shape(fresh) != _shape(known):
                keys = keys_of(fresh)
            known = fresh
            _remember(name, known)
    return AvailabilityRead(
        service=known.service,
        doctor=known.doctor,
        works_here=known.works_here,
        skilled=known.skilled,
        party_size=party_size,
        now=now,
        keys=keys,
    )
