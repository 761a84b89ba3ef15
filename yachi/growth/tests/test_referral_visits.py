"""The first completed paid visit, as booking and payments tell it: completed then paid,
or paid then completed; an unpaid or uncompleted visit rewards nobody."""

import pytest

from conftest import tomorrow_at
from yachi.booking.choices import Status
from yachi.booking.services import appointment_advance, appointments_book
from yachi.growth.facade import points_balance
from yachi.growth.models import Referral
from yachi.growth.referrals.choices import ReferralStatus
from yachi.growth.tests.referral_helpers import campaign, sign_up
from yachi.payments import bills, services
from yachi.payments.choices import Method

pytestmark = pytest.mark.django_db


def _visit(world, user, hour):
    member = user.family_account.members.get(seat=0)
    appointment = appointments_book(
        actor=user,
        doctor=world.clinic_a_doctor,
        service=world.filling_a,
        start=tomorrow_at(hour),
        patients=[member],
    ).appointments[0]
    appointment_advance(
        actor=world.clinic_a_front_desk,
        appointment=appointment,
        to_status=Status.ARRIVED,
        now=tomorrow_at(hour - 1),
    )
    return appointment


def _complete(world, appointment, hour):
    return appointment_advance(
        actor=world.clinic_a_front_desk,
        appointment=appointment,
        to_status=Status.COMPLETED,
        now=tomorrow_at(hour, 45),
    )


def _bill(world, user, appointment):
    return bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=user,
        amount_fen=35000,
        description="",
        service=world.filling_a,
        appointment=appointment,
    )


def _pay(world, intent):
    services.desk_payment_record(actor=world.clinic_a_front_desk, intent=intent, method=Method.CASH)


def test_completed_then_paid(world, django_capture_on_commit_callbacks):
    campaign()
    friend, _ = sign_up(inviter=world.patient_parent)
    appointment = _visit(world, friend, 10)
    intent = _bill(world, friend, appointment)
    with django_capture_on_commit_callbacks(execute=True):
        _complete(world, appointment, 10)
    assert Referral.objects.get(invitee=friend).status == ReferralStatus.PENDING  # not paid
    with django_capture_on_commit_callbacks(execute=True):
        _pay(world, intent)
    referral = Referral.objects.get(invitee=friend)
    assert referral.status == ReferralStatus.QUALIFIED
    assert referral.visit_reference == f"booking.appointment:{appointment.public_id}"
    assert points_balance(user=world.patient_parent) == 500


def test_paid_then_completed(world, django_capture_on_commit_callbacks):
    campaign()
    friend, _ = sign_up(inviter=world.patient_parent)
    appointment = _visit(world, friend, 11)
    with django_capture_on_commit_callbacks(execute=True):
        _pay(world, _bill(world, friend, appointment))
    assert points_balance(user=world.patient_parent) == 0  # not completed yet
    with django_capture_on_commit_callbacks(execute=True):
        _complete(world, appointment, 11)
    assert points_balance(user=world.patient_parent) == 500
    assert Referral.objects.get(invitee=friend).status == ReferralStatus.QUALIFIED
