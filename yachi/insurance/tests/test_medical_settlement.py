"""The front desk settles a bill with medical insurance against the local fake platform:
the split by class, the shares in payments' ledger, reversal, refund, and refusals."""

import pytest

from yachi.core.errors import DomainError
from yachi.insurance.medical import services
from yachi.insurance.medical.models import Settlement
from yachi.insurance.tests.conftest import CREDENTIAL, bill, set_up_clinic
from yachi.payments.models import LedgerEntry, PaymentIntent
from yachi.payments.services import desk_payment_record


@pytest.fixture
def desk(world, platform):
    set_up_clinic(world)
    return world


def test_pre_settlement_splits_the_bill_by_class_and_leaves_unmapped_items_self_paid(
    desk, platform
):
    # 补牙 ¥350 class A, 洁牙 ¥200 class B, 种植咨询 free... use cleaning twice as lines
    intent = bill(desk, "filling", "cleaning")
    settlement = services.pre_settle(
        actor=desk.clinic_a_front_desk, payment=intent, credential=CREDENTIAL
    )
    # Class A: the fund pays 70% of 350.00 = 245.00. Class B: 10% first self-paid (20.00),
    # then 70% of 180.00 = 126.00. The personal account (50.00) pays the rest of A first.
    assert settlement.fund_fen == 24_500 + 12_600
    assert settlement.account_fen == 5_000
    assert settlement.self_fen == 55_000 - 37_100 - 5_000
    items = {item["item_code"]: item for item in settlement.items}
    assert (
        items["filling"]["catalogue_class"] == "A" and items["cleaning"]["catalogue_class"] == "B"
    )
    # Nothing is paid by a pre-settlement.
    assert PaymentIntent.objects.get(pk=intent.pk).amount_fen == 55_000
    assert not LedgerEntry.objects.filter(intent__clinic=desk.clinic_a).exists()


def test_an_unmapped_item_is_self_paid(desk, platform):
    from yachi.insurance.medical.services import mapping_remove

    mapping_remove(
        actor=desk.clinic_a_manager, clinic=desk.clinic_a, kind="service", item_code="cleaning"
    )
    intent = bill(desk, "cleaning")
    settlement = services.pre_settle(
        actor=desk.clinic_a_front_desk, payment=intent, credential=CREDENTIAL
    )
    assert (settlement.fund_fen, settlement.account_fen, settlement.self_fen) == (0, 0, 20_000)
    assert settlement.items[0]["mapped"] is False


def test_settling_records_insurance_as_a_payment_of_the_bill_and_the_patient_pays_the_rest(
    desk, platform
):
    intent = bill(desk, "filling", "cleaning")
    services.pre_settle(actor=desk.clinic_a_front_desk, payment=intent, credential=CREDENTIAL)
    settlement = services.settle(actor=desk.clinic_a_front_desk, payment=intent)
    assert settlement.status == "settled" and settlement.platform_settlement_id.startswith("SETL")
    share = settlement.share_payment
    assert share.method == "insurance" and share.amount_fen == 37_100 + 5_000
    intent.refresh_from_db()
    assert intent.amount_fen == settlement.self_fen == 12_900
    desk_payment_record(
        actor=desk.clinic_a_front_desk, intent=intent, method="cash", tendered_fen=13_000
    )
    entries = LedgerEntry.objects.filter(intent__in=[intent, share])
    assert sorted((e.method, e.amount_fen) for e in entries) == [
        ("cash", 12_900),
        ("insurance", 42_100),
    ]
    # Settling again answers the first settlement; the platform settled once.
    again = services.settle(actor=desk.clinic_a_front_desk, payment=intent)
    assert again.pk == settlement.pk
    assert len(platform.settled) == 1


def test_a_reversal_undoes_exactly_its_share_and_the_bill_asks_for_it_again(desk, platform):
    intent = bill(desk, "filling")
    services.pre_settle(actor=desk.clinic_a_front_desk, payment=intent, credential=CREDENTIAL)
    settlement = services.settle(actor=desk.clinic_a_front_desk, payment=intent)
    reversed_ = services.undo(
        actor=desk.clinic_a_front_desk, settlement=settlement, reason="选错参保人"
    )
    assert reversed_.status == "reversed"
    intent.refresh_from_db()
    assert intent.amount_fen == 35_000
    share = PaymentIntent.objects.get(pk=settlement.share_payment_id)
    assert share.status == "refunded"
    assert sum(LedgerEntry.objects.filter(intent=share).values_list("amount_fen", flat=True)) == 0
    # The bill can be pre-settled and settled again afterwards.
    services.pre_settle(actor=desk.clinic_a_front_desk, payment=intent, credential=CREDENTIAL)
    assert services.settle(actor=desk.clinic_a_front_desk, payment=intent).status == "settled"


def test_after_the_rest_is_paid_a_reversal_is_refused_and_a_refund_returns_only_insurance(
    desk, platform
):
    intent = bill(desk, "filling")
    services.pre_settle(actor=desk.clinic_a_front_desk, payment=intent, credential=CREDENTIAL)
    settlement = services.settle(actor=desk.clinic_a_front_desk, payment=intent)
    intent.refresh_from_db()
    desk_payment_record(actor=desk.clinic_a_front_desk, intent=intent, method="card")
    with pytest.raises(DomainError) as refused:
        services.undo(actor=desk.clinic_a_front_desk, settlement=settlement, reason="冲正")
    assert refused.value.code == "bill_paid_refund_instead"
    assert platform.settled[settlement.visit_serial].undone == ""
    refunded = services.undo(
        actor=desk.clinic_a_front_desk, settlement=settlement, reason="退费", refund=True
    )
    assert refunded.status == "refunded"
    intent.refresh_from_db()
    assert intent.status == "paid" and intent.refunded_fen == 0  # the patient's card payment stands
    assert PaymentIntent.objects.get(pk=settlement.share_payment_id).status == "refunded"


def test_a_bill_covered_in_full_is_paid_by_insurance_and_a_reversal_reopens_it(desk, platform):
    platform.people[CREDENTIAL].balance_fen = 1_000_000
    intent = bill(desk, "filling")
    services.pre_settle(actor=desk.clinic_a_front_desk, payment=intent, credential=CREDENTIAL)
    settlement = services.settle(actor=desk.clinic_a_front_desk, payment=intent)
    intent.refresh_from_db()
    assert settlement.self_fen == 0 and intent.status == "paid" and intent.method == "insurance"
    reversed_ = services.undo(actor=desk.clinic_a_front_desk, settlement=settlement, reason="冲正")
    owed = reversed_.payment
    assert owed.pk != intent.pk and owed.status == "created" and owed.amount_fen == 35_000


def test_a_changed_line_after_settlement_is_refused(desk, platform):
    from yachi.payments import facade as payments

    intent = bill(desk, "filling")
    services.pre_settle(actor=desk.clinic_a_front_desk, payment=intent, credential=CREDENTIAL)
    services.settle(actor=desk.clinic_a_front_desk, payment=intent)
    intent.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        payments.bill_line_add(
            actor=desk.clinic_a_front_desk, intent=intent, kind="service", item_code="cleaning"
        )
    assert refused.value.code == "bill_settled"
    assert PaymentIntent.objects.get(pk=intent.pk).amount_fen == intent.amount_fen


def test_an_unknown_credential_is_refused_with_the_platforms_words(desk, platform):
    intent = bill(desk, "filling")
    with pytest.raises(DomainError) as refused:
        services.pre_settle(actor=desk.clinic_a_front_desk, payment=intent, credential="NOT-A-CODE")
    assert refused.value.code == "insurance_platform_refused"
    assert "电子凭证" in str(refused.value.message)
    assert not Settlement.objects.exists()


def test_the_platform_refuses_a_request_with_a_wrong_signature(desk, platform, settings):
    settings.YACHI_MEDICAL_INSURANCE_SECRET = "someone-elses-secret"
    intent = bill(desk, "filling")
    with pytest.raises(DomainError) as refused:
        services.pre_settle(actor=desk.clinic_a_front_desk, payment=intent, credential=CREDENTIAL)
    # Its 401 answer is signed with its own secret, which we cannot verify either.
    assert refused.value.code == "insurance_platform_unavailable"
    assert platform.refused_signatures == 1
    assert not Settlement.objects.exists()


def test_reconciliation_matches_the_days_statement_and_names_what_differs(desk, platform):
    from django.utils import timezone

    from yachi.insurance.medical.reconciliation import reconcile

    intent = bill(desk, "filling")
    services.pre_settle(actor=desk.clinic_a_front_desk, payment=intent, credential=CREDENTIAL)
    settlement = services.settle(actor=desk.clinic_a_front_desk, payment=intent)
    run = reconcile(clinic=desk.clinic_a, day=timezone.localdate(), actor=desk.clinic_a_manager)
    assert run.result == "matched" and run.statement_count == 1
    # The platform records a settlement that never reached us (a crash after its answer).
    platform.settled["MZ-STRANGER"] = type(platform.settled[settlement.visit_serial])(
        settlement_id="SETL-STRANGER",
        visit_serial="MZ-STRANGER",
        visit_id="x",
        person="p",
        fund_fen=100,
        account_fen=0,
        cash_fen=0,
        total_fen=100,
        day=platform.today(),
        output={},
    )
    run = reconcile(clinic=desk.clinic_a, day=timezone.localdate())
    assert run.result == "differences"
    assert [f["kind"] for f in run.findings] == ["not_ours"]


def test_points_reward_only_what_the_patient_paid_themselves(
    desk, platform, django_capture_on_commit_callbacks
):
    from yachi.growth.ledger import points_balance

    payer, front_desk = desk.patient_parent, desk.clinic_a_front_desk
    before = points_balance(user=payer)
    platform.people[CREDENTIAL].balance_fen = 1_000_000
    whole = bill(desk, "filling")
    services.pre_settle(actor=front_desk, payment=whole, credential=CREDENTIAL)
    with django_capture_on_commit_callbacks(execute=True):
        services.settle(actor=front_desk, payment=whole)
    assert points_balance(user=payer) == before  # insurance paid it all: nothing earned

    platform.people[CREDENTIAL].balance_fen = 0
    part = bill(desk, "filling", "cleaning")
    services.pre_settle(actor=front_desk, payment=part, credential=CREDENTIAL)
    with django_capture_on_commit_callbacks(execute=True):
        settlement = services.settle(actor=front_desk, payment=part)
    part.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        desk_payment_record(
            actor=front_desk, intent=part, method="cash", tendered_fen=part.amount_fen
        )
    # One point a yuan, on the cash the patient paid, not on the fund's share.
    assert points_balance(user=payer) == before + settlement.self_fen // 100
