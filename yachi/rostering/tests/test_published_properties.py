"""Whatever was booked, a roster published from a proposal, read back from the tables that
booking uses, passes the independent checker of every hard constraint and keeps every
booked patient with their doctor (hypothesis draws the bookings and the option)."""

import contextlib
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yachi.booking.services import appointments_book
from yachi.clinics.models import OpeningHours
from yachi.core.errors import DomainError
from yachi.rostering.planner import Shift, check
from yachi.rostering.proposals import services
from yachi.rostering.proposals.instance import instance_build
from yachi.rostering.proposals.models import PublishedShift
from yachi.rostering.selectors import working_intervals

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")

visits = st.lists(
    st.tuples(st.booleans(), st.integers(0, 6), st.sampled_from((9, 10, 11, 13, 15, 17))),
    max_size=4,
)


@pytest.fixture
def open_week(world, settings):
    settings.YACHI_ROSTER_TIME_LIMIT_SECONDS = 1
    settings.YACHI_ROSTER_GENERATIONS = 3
    for weekday in range(7):
        OpeningHours.objects.create(
            clinic=world.clinic_a, weekday=weekday, opens=time(9), closes=time(18)
        )
    today = datetime.now(SHANGHAI).date()
    world.monday = today + timedelta(days=7 - today.weekday())
    return world


def _published() -> list[Shift]:
    return [
        Shift(
            doctor_id=row.doctor_id,
            clinic_id=row.day.clinic_id,
            chair_id=row.chair_id,
            start=datetime.combine(row.day.date, row.start_time, tzinfo=SHANGHAI),
            end=datetime.combine(row.day.date, row.end_time, tzinfo=SHANGHAI),
        )
        for row in PublishedShift.objects.select_related("day")
    ]


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(booked=visits, pick=st.integers(0, 50))
def test_every_published_roster_satisfies_every_hard_constraint(open_week, booked, pick):
    world = open_week
    with transaction.atomic():
        for implant_doctor, day, hour in booked:
            doctor = world.clinic_a_implant_doctor if implant_doctor else world.clinic_a_doctor
            # A time an earlier draw took is refused: that draw books nothing.
            with contextlib.suppress(DomainError):
                appointments_book(
                    actor=world.clinic_a_front_desk,
                    doctor=doctor,
                    service=world.cleaning_a,
                    start=datetime.combine(
                        world.monday + timedelta(days=day), time(hour), tzinfo=SHANGHAI
                    ),
                    patients=[world.other],
                )
        proposal = services.proposal_create(
            actor=world.clinic_a_manager,
            clinic_list=[world.clinic_a],
            week_start=world.monday,
            weeks=1,
        )
        proposal = services.proposal_compute(proposal=proposal)
        options = list(proposal.options.all())
        assert options, proposal.error
        option = options[pick % len(options)]
        option.proposal = proposal
        services.option_publish(actor=world.clinic_a_manager, option=option)

        built = instance_build(
            clinic_list=[world.clinic_a],
            week_start=world.monday,
            weeks=1,
            today=world.monday,
            with_demand=False,
        )
        assert check(built.instance, _published()) == []
        hours = working_intervals(
            doctor_ids=[world.clinic_a_doctor.pk, world.clinic_a_implant_doctor.pk],
            clinic_id=world.clinic_a.pk,
            zone=SHANGHAI,
            first_day=world.monday,
            last_day=world.monday + timedelta(days=6),
        )
        for visit in built.visits.values():
            day = visit.start.astimezone(SHANGHAI).date()
            spans = hours[(visit.doctor_id, day)]
            assert any(s <= visit.start and visit.end <= e for s, e in spans), visit
        transaction.set_rollback(True)
