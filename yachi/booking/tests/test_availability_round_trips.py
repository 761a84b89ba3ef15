"""Availability costs few cache round trips: cold (versions missing) at most three, warm
two, whatever the number of days."""

from collections import Counter
from unittest import mock

import pytest
from django.core.cache import caches

from yachi.booking.selectors import doctor_availability

pytestmark = pytest.mark.django_db

_METHODS = ("get", "set", "add", "get_many", "set_many", "delete", "delete_many", "touch")


def _trips(world) -> Counter:
    backend = caches["default"]
    calls = Counter()
    depth = [0]

    def counting(name):
        real = getattr(backend, name)

        def call(*args, **kwargs):
            # Only what the caller asks for: the file cache makes get_many of gets.
            if not depth[0]:
                calls[name] += 1
            depth[0] += 1
            try:
                return real(*args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    with mock.patch.multiple(backend, **{name: counting(name) for name in _METHODS}):
        doctor_availability(doctor=world.clinic_a_doctor, service=world.cleaning_a, days=7)
    return calls


def test_cold_availability_costs_at_most_three_round_trips(world):
    caches["default"].clear()
    calls = _trips(world)
    assert sum(calls.values()) <= 3, calls
    assert calls["get_many"] == 1  # the versions; no day can be cached under new ones


def test_warm_availability_costs_two_round_trips(world):
    _trips(world)
    calls = _trips(world)
    assert calls == Counter(get_many=2), calls
