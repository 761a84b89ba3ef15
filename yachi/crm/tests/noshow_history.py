"""A clinic's year of visits, for the no-show tests: fixtures ``history`` and ``trained``."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from yachi.booking.models import Appointment
from yachi.crm.noshow import learning

CLINIC_HOURS = (9, 10, 11, 14, 15, 16)


def past_year(world, *, count=96, seed=16):
    """A year of visits at clinic A: 张妈妈 misses half of hers; the others miss a few,
    mostly those booked weeks ahead and never confirmed."""
    rng = random.Random(seed)
    others = [world.other, world.patient_child]
    # Days counted from a local midnight and hours the clinic keeps, so that the model
    # learns the same thing whatever time of day the tests run.
    first = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    first -= timedelta(days=330)
    rows = []
    for i in range(count):
        habitual = i % 4 == 0
        patient = world.parent if habitual else others[i % len(others)]
        start = first + timedelta(days=(10 * i) // 3, hours=rng.choice(CLINIC_HOURS))
        lead = rng.choice([1, 2, 4, 7, 21, 30])
        confirmed = rng.random() < 0.5
        if habitual:
            missed = rng.random() < 0.5
        else:
            missed = rng.random() < (0.3 if lead >= 21 and not confirmed else 0.02)
        rows.append(
            Appointment(
                clinic=world.clinic_a,
                doctor=world.clinic_a_doctor,
                chair=world.chairs_a[0],
                service=world.cleaning_a,
                patient=patient,
                channel="api",
                start=start,
                end=start + timedelta(minutes=30),
                status="no_show" if missed else "completed",
                price_fen=world.cleaning_a.price_fen,
                confirmed_at=start - timedelta(hours=20) if confirmed else None,
                created_at=start - timedelta(days=lead),
            )
        )
    Appointment.objects.bulk_create(rows)
    return rows


@pytest.fixture
def history(world, monkeypatch):
    # Small data, so that training stays quick: a clinic needs 60 visits, 6 missed.
    monkeypatch.setattr(learning, "MIN_SAMPLES", 60)
    monkeypatch.setattr(learning, "MIN_NO_SHOWS", 6)
    return past_year(world)


@pytest.fixture
def trained(world, history):
    from yachi.crm.noshow import services

    return services.models_train()
