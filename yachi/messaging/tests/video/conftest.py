from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from yachi.clinics.choices import ServiceKind


def make_video_service(world):
    """Clinic A's 复诊咨询, a service of kind video."""
    return f.ServiceFactory(
        clinic=world.clinic_a,
        code="ortho_follow_up",
        name="复诊咨询",
        name_en="Follow-up consultation",
        duration_minutes=20,
        price_fen=5000,
        kind=ServiceKind.VIDEO,
    )


@pytest.fixture
def video_service(world):
    return make_video_service(world)


def consultation(world, service, *, starts_in=timedelta(minutes=5), status="booked", **extra):
    """A booked appointment at a time relative to now (written directly: the booking
    rules of time and roster are booking's tests)."""
    from yachi.booking.models import Appointment

    start = (timezone.now() + starts_in).replace(microsecond=0)
    return Appointment.objects.create(
        clinic=world.clinic_a,
        doctor=extra.pop("doctor", world.clinic_a_doctor),
        chair=extra.pop("chair", None),
        service=service,
        patient=extra.pop("patient", world.parent),
        channel="api",
        start=start,
        end=start + timedelta(minutes=service.duration_minutes),
        status=status,
        price_fen=service.price_fen,
        **extra,
    )


@pytest.fixture
def video_appointment(world, video_service):
    return consultation(world, video_service)
