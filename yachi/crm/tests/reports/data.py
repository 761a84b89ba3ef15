"""A week at a clinic for the dashboards' tests (and the browser's)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from conftest import SHANGHAI
from yachi.booking.models import Appointment
from yachi.clinics.models import OpeningHours
from yachi.payments.choices import EntryKind, IntentStatus, Method, Purpose
from yachi.payments.facade import bill_create
from yachi.payments.models import LedgerEntry, PaymentIntent
from yachi.payments.services import desk_payment_record, intent_create, refund_request


def _local_day(days_ago: int, hour: int) -> datetime:
    day = timezone.now().astimezone(SHANGHAI).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def visit(
    world, patient, *, days_ago, hour, status, service=None, clinic=None, doctor=None, chair=None
):
    service = service or world.cleaning_a
    start = _local_day(days_ago, hour)
    return Appointment.objects.create(
        clinic=clinic or world.clinic_a,
        doctor=doctor or world.clinic_a_doctor,
        chair=chair or world.chairs_a[0],
        service=service,
        patient=patient,
        channel="console",
        start=start,
        end=start + timedelta(minutes=service.duration_minutes),
        status=status,
        price_fen=service.price_fen,
    )


def a_week(world) -> dict:
    """A week at 静安店: the parent back for a cleaning (first seen 200 days ago), the
    child new for a filling, another patient who missed one and cancelled one; a visit at
    徐汇店; a paid bill with a partial refund, and money of a month ago."""
    for weekday in range(7):
        OpeningHours.objects.create(
            clinic=world.clinic_a, weekday=weekday, opens=time(9), closes=time(19)
        )
    visit(world, world.parent, days_ago=200, hour=10, status="completed")
    cleaning = visit(world, world.parent, days_ago=2, hour=10, status="completed")
    visit(
        world, world.patient_child, days_ago=3, hour=11, status="completed", service=world.filling_a
    )
    visit(world, world.other, days_ago=1, hour=9, status="no_show")
    visit(world, world.other, days_ago=4, hour=15, status="cancelled")
    visit(
        world,
        world.other,
        days_ago=2,
        hour=10,
        status="completed",
        service=world.cleaning_b,
        clinic=world.clinic_b,
        doctor=world.clinic_b_doctor,
        chair=world.chairs_b[0],
    )
    desk = world.clinic_a_front_desk
    bill = bill_create(
        actor=desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=19_800,
        service=world.cleaning_a,
        appointment=cleaning,
    )
    desk_payment_record(actor=desk, intent=bill, method=Method.CASH, tendered_fen=20_000)
    refund_request(intent=bill, amount_fen=5_000, reason="部分退款", actor=desk)
    other = bill_create(
        actor=world.clinic_b_front_desk,
        clinic=world.clinic_b,
        payer=world.other_patient,
        amount_fen=10_000,
        description="洁牙",
    )
    desk_payment_record(actor=world.clinic_b_front_desk, intent=other, method=Method.CARD)
    # Paid a month ago: outside the week.
    old = intent_create(
        purpose=Purpose.BILL,
        reference="test:old",
        amount_fen=7_700,
        description="旧账单",
        payer=world.patient_parent,
        clinic=world.clinic_a,
    )
    long_ago = timezone.now() - timedelta(days=30)
    PaymentIntent.objects.filter(pk=old.pk).update(status=IntentStatus.PAID, paid_at=long_ago)
    LedgerEntry.objects.create(
        intent=old,
        kind=EntryKind.CHARGE,
        amount_fen=7_700,
        method=Method.CASH,
        key="charge:old",
        created_at=long_ago,
    )
    today = timezone.now().astimezone(SHANGHAI).date()
    return {"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()}
