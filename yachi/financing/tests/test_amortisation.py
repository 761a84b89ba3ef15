"""The schedule's arithmetic, as a patient would check it on paper: no Django."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yachi.financing.amortisation import (
    EQUAL_PAYMENT,
    EQUAL_PRINCIPAL,
    annual_rate_of_flows,
    due_dates,
    schedule,
)


def test_an_interest_free_plan_splits_the_total_with_the_odd_fen_first():
    plan = schedule(
        principal_fen=1_000_001,
        months=3,
        method=EQUAL_PAYMENT,
        annual_rate=Decimal(0),
        start=date(2026, 12, 3),
    )
    assert [i.principal_fen for i in plan.instalments] == [333_334, 333_334, 333_333]
    assert [i.interest_fen for i in plan.instalments] == [0, 0, 0]
    assert plan.total_interest_fen == 0
    assert plan.apr == Decimal("0.0000")


def test_equal_payment_matches_the_bank_formula_and_the_last_month_clears_the_balance():
    # 12 000 CNY over 12 months at 7.2 % a year: the annuity is 1 039.43 CNY a month.
    plan = schedule(
        principal_fen=1_200_000,
        months=12,
        method=EQUAL_PAYMENT,
        annual_rate=Decimal("0.072"),
        start=date(2026, 1, 15),
    )
    amounts = [i.amount_fen for i in plan.instalments]
    assert amounts[:11] == [103_943] * 11
    assert abs(amounts[11] - 103_943) <= 12  # the rounding of eleven months, at most
    assert sum(i.principal_fen for i in plan.instalments) == 1_200_000
    assert plan.instalments[0].interest_fen == 7_200  # 12 000 × 0.6 %
    assert plan.total_interest_fen == sum(amounts) - 1_200_000
    assert plan.apr == Decimal("0.0720")


def test_equal_principal_pays_less_interest_each_month():
    plan = schedule(
        principal_fen=2_400_000,
        months=24,
        method=EQUAL_PRINCIPAL,
        annual_rate=Decimal("0.06"),
        start=date(2026, 3, 1),
    )
    assert {i.principal_fen for i in plan.instalments} == {100_000}
    interests = [i.interest_fen for i in plan.instalments]
    assert interests[0] == 12_000 and interests[-1] == 500
    assert interests == sorted(interests, reverse=True)
    # Less interest in all than by equal payments at the same rate.
    same = schedule(
        principal_fen=2_400_000,
        months=24,
        method=EQUAL_PAYMENT,
        annual_rate=Decimal("0.06"),
        start=date(2026, 3, 1),
    )
    assert plan.total_interest_fen < same.total_interest_fen


def test_due_dates_keep_the_starting_day_and_fall_on_the_last_day_of_short_months():
    assert due_dates(date(2027, 1, 31), 4) == [
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
    ]
    assert due_dates(date(2027, 11, 30), 3) == [
        date(2027, 12, 30),
        date(2028, 1, 30),
        date(2028, 2, 29),
    ]


def test_a_fee_the_clinic_bears_is_an_annual_rate_for_the_clinic():
    # The partner pays the clinic 10 000 CNY less a 3 % fee and collects 10 000 over 6 months.
    rate = annual_rate_of_flows(970_000, [1_000_000 // 6 + 1] * 4 + [1_000_000 // 6] * 2)
    assert Decimal("0.10") < rate < Decimal("0.11")


def test_nonsense_is_refused():
    for bad in (
        {"principal_fen": 0},
        {"months": 0},
        {"method": "balloon"},
        {"annual_rate": Decimal("-0.01")},
    ):
        arguments = {
            "principal_fen": 100,
            "months": 3,
            "method": EQUAL_PAYMENT,
            "annual_rate": Decimal("0.05"),
            "start": date(2026, 1, 1),
        } | bad
        with pytest.raises(ValueError):
            schedule(**arguments)


@settings(max_examples=300, deadline=None)
@given(
    principal=st.integers(min_value=1, max_value=10_000_000_00),
    months=st.sampled_from([1, 3, 6, 12, 24, 36]),
    method=st.sampled_from([EQUAL_PAYMENT, EQUAL_PRINCIPAL]),
    rate_bp=st.integers(min_value=0, max_value=3_600),
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)),
)
def test_the_instalments_add_up_to_the_principal_exactly(principal, months, method, rate_bp, start):
    plan = schedule(
        principal_fen=principal,
        months=months,
        method=method,
        annual_rate=Decimal(rate_bp) / 10_000,
        start=start,
    )
    assert len(plan.instalments) == months
    assert sum(i.principal_fen for i in plan.instalments) == principal
    assert all(i.principal_fen >= 0 and i.interest_fen >= 0 for i in plan.instalments)
    assert plan.total_fen == sum(i.amount_fen for i in plan.instalments)
    dates = [i.due_date for i in plan.instalments]
    assert dates == sorted(dates) and dates[0] > start
    if rate_bp == 0:
        assert plan.total_interest_fen == 0
        assert (
            max(i.principal_fen for i in plan.instalments)
            - min(i.principal_fen for i in plan.instalments)
            <= 1
        )
