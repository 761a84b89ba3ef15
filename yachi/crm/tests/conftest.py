from datetime import timedelta

import pytest
from django.utils import timezone

from yachi.booking.models import Appointment
from yachi.crm.tests.noshow_history import history, trained  # noqa: F401 - fixtures
from yachi.payments.bills import bill_create
from yachi.payments.services import desk_payment_record


def visit(world, patient, *, days_ago: int, status="completed", service=None, paid_fen=0, hour=10):
    """A visit in the past (or to come, for a negative ``days_ago``) at clinic A, with a
    bill paid in cash at the desk when ``paid_fen`` is given."""
    service = service or world.cleaning_a
    start = (timezone.localtime() - timedelta(days=days_ago)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    appointment = Appointment.objects.create(
        clinic=world.clinic_a,
        doctor=world.clinic_a_doctor,
        chair=world.chairs_a[0],
        service=service,
        patient=patient,
        channel="console",
        start=start,
        end=start + timedelta(minutes=30),
        status=status,
        price_fen=service.price_fen,
        completed_at=start + timedelta(minutes=30) if status == "completed" else None,
    )
    if paid_fen:
        intent = bill_create(
            actor=world.clinic_a_front_desk,
            clinic=world.clinic_a,
            payer=patient.account.owner,
            amount_fen=paid_fen,
            description=service.name,
            appointment=appointment,
        )
        desk_payment_record(
            actor=world.clinic_a_front_desk, intent=intent, method="cash", tendered_fen=paid_fen
        )
    return appointment


@pytest.fixture
def seen(world):
    """张妈妈 came to clinic A five times this year and spent ¥8,460; her child came once;
    陌生人 was never seen at clinic A."""
    for days_ago in (20, 60, 100, 140):
        visit(world, world.parent, days_ago=days_ago, paid_fen=150000)
    visit(world, world.parent, days_ago=10, service=world.filling_a, paid_fen=246000)
    world.child_visit = visit(world, world.patient_child, days_ago=3, paid_fen=20000)
    return world
