"""The audit trail and the points ledger say what an object is — the patient's name, the
bill's number — to those who may see it, and only a short id to others."""

import pytest
from django.urls import reverse

from conftest import tomorrow_at
from tests import factories as f
from yachi.booking.services import appointments_book
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.roles import ClinicRole
from yachi.growth import facade as growth
from yachi.growth.choices import PointsReason
from yachi.payments.bills import bill_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen_at_a(world):
    """The parent has been booked at the first clinic, never at the second."""
    appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    )
    return world.parent


def audit_page(client, manager) -> str:
    client.force_login(manager)
    response = client.get(reverse("console:audit"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_trail_names_a_patient_to_managers_of_a_clinic_where_they_were_seen(
    client, world, seen_at_a
):
    for clinic in (world.clinic_a, world.clinic_b):
        audit_record(
            action=AuditAction.CLINICAL_READ,
            actor=world.clinic_a_doctor.user,
            object_type="patient",
            object_id=seen_at_a.public_id,
            clinic=clinic,
        )
    page = audit_page(client, world.clinic_a_manager)
    assert "患者 <span" in page and "张妈妈" in page

    other_manager = f.staff_member(world.clinic_b, role=ClinicRole.MANAGER)
    page = audit_page(client, other_manager)
    assert "患者" in page and str(seen_at_a.public_id)[:8] in page
    assert "张妈妈" not in page


def test_the_trail_and_the_ledger_give_a_bill_its_number(client, world):
    intent = bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=19800,
        description="洁牙",
    )
    bill_reference = intent.reference
    growth.points_earn(
        user=world.patient_parent,
        points=198,
        reason=PointsReason.PAID_SPEND,
        idempotency_key="bill-points",
        reference=bill_reference,
    )
    page = audit_page(client, world.clinic_a_manager)
    assert f"{intent.out_trade_no} · 洁牙" in page

    response = client.get(reverse("console:points"), {"phone": world.patient_parent.phone})
    ledger = response.content.decode()
    assert f"账单 {intent.out_trade_no} · 洁牙" in ledger
    assert f">{bill_reference}<" not in ledger
