"""A large refund from the till waits for a manager of the clinic: approved, it is paid out;
not approved, the amount is refundable again. Both steps are in the audit trail."""

import pytest

from tests.factories import staff_member
from yachi.compliance.models import AuditEntry
from yachi.core.roles import ClinicRole
from yachi.payments import approvals, bills, services
from yachi.payments.choices import IntentStatus, Method, RefundStatus
from yachi.payments.models import Refund


@pytest.fixture
def paid_implant(world, settings):
    settings.YACHI_REFUND_APPROVAL_ABOVE_FEN = 100_000
    intent = bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=1_280_000,
        description="种植牙",
    )
    services.desk_payment_record(actor=world.clinic_a_front_desk, intent=intent, method=Method.CARD)
    return intent


def _ask(client, intent, amount):
    return client.post(
        f"/console/payments/{intent.public_id}/refund/",
        {"amount": amount, "reason": "未治疗"},
        follow=True,
    ).content.decode()


def test_a_large_refund_waits_for_the_manager_who_approves_it(client, world, paid_implant):
    client.force_login(world.clinic_a_front_desk)
    page = _ask(client, paid_implant, "2000")
    assert "等待店长审批" in page
    refund = Refund.objects.get()
    paid_implant.refresh_from_db()
    assert refund.status == RefundStatus.AWAITING_APPROVAL
    assert paid_implant.refunded_fen == 200_000  # reserved: no second refund can overdraw
    assert services.balance_fen(paid_implant) == 1_280_000  # nothing paid out yet
    # The front desk cannot approve its own request.
    approvals_url = f"/console/clinic/{world.clinic_a.public_id}/refunds/approvals/"
    assert client.get(approvals_url).status_code == 403
    assert client.post(f"/console/refunds/{refund.public_id}/approve/").status_code == 403

    client.force_login(world.clinic_a_manager)
    listed = client.get(approvals_url).content.decode()
    assert "种植牙" in listed and "¥2,000.00" in listed
    client.post(f"/console/refunds/{refund.public_id}/approve/")
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED and refund.decided_by == world.clinic_a_manager
    assert services.balance_fen(paid_implant) == 1_080_000
    again = client.post(f"/console/refunds/{refund.public_id}/approve/", follow=True)
    assert "已经处理" in again.content.decode()
    assert services.balance_fen(paid_implant) == 1_080_000
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "refund_requested" in actions and "refund_approved" in actions


def test_a_refund_not_approved_gives_the_amount_back_to_refund(client, world, paid_implant):
    client.force_login(world.clinic_a_front_desk)
    _ask(client, paid_implant, "12800")
    refund = Refund.objects.get()
    client.force_login(world.clinic_a_manager)
    client.post(f"/console/refunds/{refund.public_id}/reject/")
    refund.refresh_from_db()
    paid_implant.refresh_from_db()
    assert refund.status == RefundStatus.REJECTED
    assert paid_implant.refunded_fen == 0 and paid_implant.status == IntentStatus.PAID
    assert AuditEntry.objects.filter(action="refund_rejected").count() == 1


def test_a_small_refund_and_a_managers_own_go_straight_out(client, world, paid_implant):
    client.force_login(world.clinic_a_front_desk)
    _ask(client, paid_implant, "1000")
    client.force_login(world.clinic_a_manager)
    _ask(client, paid_implant, "5000")
    assert list(Refund.objects.values_list("status", flat=True)) == [RefundStatus.SUCCEEDED] * 2


def test_only_a_manager_of_that_clinic_may_approve(client, world, paid_implant):
    other_manager = staff_member(world.clinic_b, role=ClinicRole.MANAGER)
    refund = approvals.refund_ask(
        actor=world.clinic_a_front_desk, intent=paid_implant, amount_fen=300_000, reason="x"
    )
    assert not approvals.may_approve_refund(user=other_manager, clinic=world.clinic_a)
    assert not approvals.may_approve_refund(user=world.clinic_a_front_desk, clinic=world.clinic_a)
    assert approvals.may_approve_refund(user=world.clinic_a_manager, clinic=world.clinic_a)
    client.force_login(other_manager)
    assert client.post(f"/console/refunds/{refund.public_id}/approve/").status_code == 404
    assert client.post("/console/refunds/not-an-id/approve/").status_code == 404
    client.force_login(world.clinic_a_manager)
    assert client.post(f"/console/refunds/{refund.public_id}/maybe/").status_code == 404
    refund.refresh_from_db()
    assert refund.status == RefundStatus.AWAITING_APPROVAL
