"""Splitting a principal into monthly instalments, exact to the fen.

Interest each month is the balance still owed times the monthly rate (the annual rate
/ 12), rounded half up to the fen (四舍五入), whatever the number of days in the month.

- Equal principal (等额本金): the principal is divided by the months; the remainder
  (fewer fen than months) goes one fen each to the first instalments, so the earliest
  instalments are at most one fen larger and the balance falls fastest at the start.
- Equal principal and interest (等额本息): the payment is the annuity formula's, rounded
  half up to the fen; each month's principal is the payment less that month's interest,
  and the last instalment takes whatever principal is left, so it alone may differ from
  the others by the rounding of the months before.
- Without interest both methods give the same split: equal principal with the remainder
  placed first.

Either way ``sum(principal_fen) == principal_fen`` by construction, and a test checks it
for every principal, term and rate hypothesis draws.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from yachi.financing.amortisation.dates import due_dates
from yachi.financing.amortisation.rates import annual_rate_of_flows

EQUAL_PAYMENT = "equal_payment"  # 等额本息
EQUAL_PRINCIPAL = "equal_principal"  # 等额本金
METHODS = (EQUAL_PAYMENT, EQUAL_PRINCIPAL)

_FEN = Decimal(1)


@dataclass(frozen=True)
class Instalment:
    number: int  # 1 for the first
    due_date: date
    principal_fen: int
    interest_fen: int

    @property
    def amount_fen(self) -> int:
        return self.principal_fen + self.interest_fen


@dataclass(frozen=True)
class Schedule:
    principal_fen: int
    months: int
    method: str
    annual_rate: Decimal  # the nominal rate interest is charged at (0 when interest-free)
    apr: Decimal  # the borrower's annualised rate, from the IRR of the schedule
    instalments: tuple[Instalment, ...]

    @property
    def total_interest_fen(self) -> int:
        return sum(i.interest_fen for i in self.instalments)

    @property
    def total_fen(self) -> int:
        """What the borrower pays in all: the principal and the interest."""
        return self.principal_fen + self.total_interest_fen


def _round(value: Decimal) -> int:
    return int(value.quantize(_FEN, rounding=ROUND_HALF_UP))


def _equal_principal(principal: int, months: int, monthly: Decimal) -> list[tuple[int, int]]:
    share, remainder = divmod(principal, months)
    rows = []
    balance = principal
    for k in range(months):
        part = share + (1 if k < remainder else 0)
        interest = _round(balance * monthly)
        rows.append((part, interest))
        balance -= part
    return rows


def _equal_payment(principal: int, months: int, monthly: Decimal) -> list[tuple[int, int]]:
    growth = (1 + monthly) ** months
    payment = _round(principal * monthly * growth / (growth - 1))
    rows = []
    balance = principal
    for k in range(months):
        interest = _round(balance * monthly)
        # The payment covers at least the interest for any rate a product allows; the
        # last month clears the balance exactly.
        part = balance if k == months - 1 else min(balance, max(0, payment - interest))
        rows.append((part, interest))
        balance -= part
    return rows


def schedule(
    *,
    principal_fen: int,
    months: int,
    method: str,
    annual_rate: Decimal,
    start: date,
) -> Schedule:
    """The instalments of ``principal_fen`` over ``months`` from ``start`` (the day the
    plan starts; the first instalment falls due a month later)."""
    if principal_fen <= 0:
        raise ValueError("the principal is a positive number of fen")
    if months < 1:
        raise ValueError("at least one month")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    rate = Decimal(annual_rate)
    if rate < 0 or rate >= 1:
        raise ValueError("an annual rate from 0 to below 100 %")
    monthly = rate / 12
    if monthly == 0 or method == EQUAL_PRINCIPAL:
        rows = _equal_principal(principal_fen, months, monthly)
    else:
        rows = _equal_payment(principal_fen, months, monthly)
    dates = due_dates(start, months)
    instalments = tuple(
        Instalment(number=k + 1, due_date=dates[k], principal_fen=part, interest_fen=interest)
        for k, (part, interest) in enumerate(rows)
    )
    apr = annual_rate_of_flows(principal_fen, [i.amount_fen for i in instalments])
    return Schedule(
        principal_fen=principal_fen,
        months=months,
        method=method,
        annual_rate=rate,
        apr=apr,
        instalments=instalments,
    )
