"""The points ledger: balance is the sum of entries, never negative, keys used once."""

import pytest
from django.db import DatabaseError, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yachi.core.errors import DomainError
from yachi.growth import facade
from yachi.growth.choices import PointsReason
from yachi.growth.models import PointsAccount, PointsEntry

pytestmark = pytest.mark.django_db


def ledger_sum(user) -> int:
    return PointsEntry.objects.filter(user=user).aggregate(s=Sum("delta"))["s"] or 0


def test_earn_and_spend_move_the_balance_and_record_it(world):
    user = world.patient_parent
    facade.points_earn(user=user, points=300, reason=PointsReason.ACTIVITY, idempotency_key="a1")
    posting = facade.points_spend(
        user=user, points=120, reason=PointsReason.CHECKOUT, idempotency_key="s1", reference="o:1"
    )
    assert posting.balance_after == 180 and posting.delta == -120
    assert facade.points_balance(user=user) == 180 == ledger_sum(user)


def test_points_balance_never_goes_negative(world):
    user = world.patient_parent
    facade.points_earn(user=user, points=100, reason=PointsReason.ACTIVITY, idempotency_key="a1")
    with pytest.raises(DomainError) as caught:
        facade.points_spend(
            user=user, points=101, reason=PointsReason.CHECKOUT, idempotency_key="s1"
        )
    assert caught.value.code == "points_insufficient"
    assert facade.points_balance(user=user) == 100
    assert PointsEntry.objects.filter(user=user).count() == 1


def test_repeated_idempotency_key_changes_nothing(world):
    user = world.patient_parent
    first = facade.points_earn(
        user=user, points=50, reason=PointsReason.ACTIVITY, idempotency_key="daily:1"
    )
    again = facade.points_earn(
        user=user, points=50, reason=PointsReason.ACTIVITY, idempotency_key="daily:1"
    )
    assert again.entry_id == first.entry_id and again.replayed and not first.replayed
    assert facade.points_balance(user=user) == 50
    # Someone else's key is not theirs to replay.
    with pytest.raises(DomainError) as caught:
        facade.points_earn(
            user=world.other_patient,
            points=50,
            reason=PointsReason.ACTIVITY,
            idempotency_key="daily:1",
        )
    assert caught.value.code == "idempotency_key_reused"
    assert facade.points_balance(user=world.other_patient) == 0


def test_refund_gives_a_spend_back_once(world):
    user = world.patient_parent
    facade.points_earn(user=user, points=500, reason=PointsReason.ACTIVITY, idempotency_key="a")
    facade.points_spend(user=user, points=200, reason=PointsReason.CHECKOUT, idempotency_key="s")
    first = facade.points_refund(idempotency_key_of_spend="s", idempotency_key="r1")
    second = facade.points_refund(idempotency_key_of_spend="s", idempotency_key="r2")
    assert first.entry_id == second.entry_id and first.delta == 200
    assert facade.points_balance(user=user) == 500 == ledger_sum(user)


def test_points_earned_on_a_refunded_purchase_are_taken_back_once(world):
    user = world.patient_parent
    facade.points_for_paid_spend(user=user, paid_fen=30000, idempotency_key="e", reference="o:9")
    facade.points_spend(user=user, points=100, reason=PointsReason.CHECKOUT, idempotency_key="s")
    first = facade.points_earned_reverse(idempotency_key_of_earn="e", idempotency_key="back1")
    again = facade.points_earned_reverse(idempotency_key_of_earn="e", idempotency_key="back2")
    # 100 of the 300 were already spent: only what is left is taken, never below zero.
    assert first.delta == -200 and again is None
    assert facade.points_balance(user=user) == 0 == ledger_sum(user)


def test_paid_spend_earns_whole_yuan_points(world, settings):
    user = world.patient_parent
    assert (
        facade.points_for_paid_spend(
            user=user, paid_fen=99, idempotency_key="pay:0", reference="o:0"
        )
        is None
    )
    posting = facade.points_for_paid_spend(
        user=user, paid_fen=19850, idempotency_key="pay:1", reference="o:1"
    )
    assert posting.delta == 198
    settings.YACHI_POINTS_EARNED_PER_YUAN = 2
    assert (
        facade.points_for_paid_spend(
            user=user, paid_fen=1000, idempotency_key="pay:2", reference="o:2"
        ).delta
        == 20
    )


def test_points_value_and_points_needed(settings):
    assert facade.points_value_fen(250) == 250
    assert facade.points_needed(1234) == 1234
    settings.YACHI_POINTS_PER_YUAN = 300
    assert facade.points_value_fen(250) == 83  # rounded down
    assert facade.points_needed(100) == 300
    assert facade.points_needed(101) == 303  # rounded up


def test_entries_cannot_be_edited_in_the_database(world):
    user = world.patient_parent
    facade.points_earn(user=user, points=10, reason=PointsReason.ACTIVITY, idempotency_key="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        PointsEntry.objects.filter(user=user).update(delta=10_000)
    assert ledger_sum(user) == 10


def test_bad_amounts_change_nothing(world):
    user = world.patient_parent
    for points in (0, -5, True, 10**9):
        with pytest.raises(DomainError):
            facade.points_earn(
                user=user, points=points, reason=PointsReason.ACTIVITY, idempotency_key="bad"
            )
    assert not PointsEntry.objects.exists() and facade.points_balance(user=user) == 0


operations = st.lists(
    st.tuples(st.sampled_from(["earn", "spend", "refund"]), st.integers(1, 400)),
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_balance_equals_the_sum_of_entries_after_any_sequence(world, steps):
    user = world.patient_parent
    PointsEntry.objects.all().delete()
    PointsAccount.objects.all().delete()
    spends = []
    for index, (op, points) in enumerate(steps):
        key = f"k{index}"
        try:
            if op == "earn":
                facade.points_earn(
                    user=user, points=points, reason=PointsReason.ACTIVITY, idempotency_key=key
                )
            elif op == "spend":
                facade.points_spend(
                    user=user, points=points, reason=PointsReason.CHECKOUT, idempotency_key=key
                )
                spends.append(key)
            elif spends:
                facade.points_refund(
                    idempotency_key_of_spend=spends[points % len(spends)], idempotency_key=key
                )
        except DomainError as exc:
            assert exc.code == "points_insufficient"
        balance = facade.points_balance(user=user)
        assert balance == ledger_sum(user) >= 0
        last = PointsEntry.objects.filter(user=user).first()
        assert last is None or last.balance_after == balance


def test_a_refund_blocks_deleting_its_spend_alone_but_not_the_whole_ledger(world):
    """Entries are never edited; removing a person's whole ledger (an account purge)
    still works, while a spend cannot vanish from under its refund."""
    from django.db.models import RestrictedError

    user = world.other_patient
    facade.points_earn(user=user, points=100, reason=PointsReason.ACTIVITY, idempotency_key="e")
    facade.points_spend(user=user, points=40, reason=PointsReason.CHECKOUT, idempotency_key="s")
    facade.points_refund(idempotency_key_of_spend="s", idempotency_key="r")
    with pytest.raises(RestrictedError):
        PointsEntry.objects.filter(idempotency_key="s").delete()
    PointsEntry.objects.filter(user=user).delete()
    assert not PointsEntry.objects.exists()
