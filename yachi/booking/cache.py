"""The availability cache, keyed per doctor, clinic and day and invalidated by version.

A cached day is stored under the current versions of what it depends on: the clinic
(its chairs), the clinic's day (chairs taken by any doctor), the doctor's day (their
bookings) and the doctor's roster. A change replaces the matching version with a fresh random one
*after* its transaction commits, so a reader that computed from the old state stores
its result under the old version, where nobody looks again. A version lost to cache
eviction is replaced by a new random one, never reset, so an old entry cannot come
back to life.

A read costs at most three round trips: one ``MGET`` of the versions, and when some are
missing one ``set_many`` of new ones (no day can be stored under a version just made, so
the days' ``MGET`` is skipped) and one ``set_many`` of the days computed. Two readers
that both find a version missing may both set one; the later wins, and whatever the
earlier stored under its own is never read again. Each reader reads the database only
after setting, so what is stored under a version was computed after it was current.
"""

import uuid
from datetime import date

from django.conf import settings
from django.core.cache import cache


def _clinic_day(clinic_id: int, day: date) -> str:
    return f"avail:v:clinic:{clinic_id}:{day.isoformat()}"


def _doctor_day(doctor_id: int, day: date) -> str:
    return f"avail:v:doctor:{doctor_id}:{day.isoformat()}"


def _doctor(doctor_id: int) -> str:
    return f"avail:v:doctor:{doctor_id}"


def _clinic(clinic_id: int) -> str:
    return f"avail:v:clinic:{clinic_id}"


class DayKeys(dict):
    """Each day's cache key; ``fresh`` when a version was just made (nothing is cached);
    ``stamp``, the doctor's and the clinic's versions the keys were made under."""

    fresh = False
    stamp: tuple[str, str] | None = None


def _versions(keys: list[str]) -> tuple[dict[str, str], bool]:
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return found, bool(missing)


def day_keys(*, doctor_id: int, clinic_id: int, days: list[date], variant: str) -> DayKeys:
    """The cache key of each day's availability under the current versions."""
    version_keys = [_doctor(doctor_id), _clinic(clinic_id)]
    for day in days:
        version_keys += [_clinic_day(clinic_id, day), _doctor_day(doctor_id, day)]
    versions, fresh = _versions(version_keys)
    roster, chairs = versions[_doctor(doctor_id)], versions[_clinic(clinic_id)]
    keys = DayKeys()
    keys.fresh = fresh
    keys.stamp = (roster, chairs)
    for day in days:
        clinic_version = versions[_clinic_day(clinic_id, day)]
        doctor_version = versions[_doctor_day(doctor_id, day)]
        keys[day] = (
            f"avail:{doctor_id}:{clinic_id}:{day.isoformat()}:{variant}:"
            f"{roster}:{chairs}:{clinic_version}:{doctor_version}"
        )
    return keys


def roster_versions(*, doctor_id: int, clinic_id: int) -> tuple[str, str]:
    """The doctor's roster version and the clinic's (chairs, calendar), in one ``MGET``:
    what a booking's remembered roster and chairs are checked against
    (``booking.memory``)."""
    found, _fresh = _versions([_doctor(doctor_id), _clinic(clinic_id)])
    return found[_doctor(doctor_id)], found[_clinic(clinic_id)]


def get_days(keys: list[str]) -> dict[str, object]:
    return cache.get_many(keys)


def store_days(values: dict[str, object]) -> None:
    cache.set_many(values, timeout=settings.YACHI_AVAILABILITY_CACHE_SECONDS)


def invalidate_day(*, clinic_id: int, doctor_id: int, day: date) -> None:
    cache.set_many(
        {
            _clinic_day(clinic_id, day): uuid.uuid4().hex,
            _doctor_day(doctor_id, day): uuid.uuid4().hex,
        },
        timeout=None,
    )


def invalidate_days(days: list[tuple[int, int, date]]) -> None:
    """``invalidate_day`` for each ``(clinic_id, doctor_id, day)``, in one ``set_many``
    (one pipeline, one round trip with Redis)."""
    versions = {}
    for clinic_id, doctor_id, day in days:
        versions[_clinic_day(clinic_id, day)] = uuid.uuid4().hex
        versions[_doctor_day(doctor_id, day)] = uuid.uuid4().hex
    if versions:
        cache.set_many(versions, timeout=None)


def invalidate_doctor(*, doctor_id: int) -> None:
    cache.set(_doctor(doctor_id), uuid.uuid4().hex, timeout=None)


def invalidate_clinic(*, clinic_id: int) -> None:
    cache.set(_clinic(clinic_id), uuid.uuid4().hex, timeout=None)
