"""The annualised rate of a schedule: twelve times its monthly internal rate of return.

The borrower receives ``received_fen`` now and pays ``payments_fen[k]`` at the end of month
``k + 1``; the monthly rate ``i`` solves ``received = Σ payment_k / (1 + i)^(k+1)``. The
present value falls as ``i`` rises, so bisection finds ``i`` to well below 10⁻¹² without
any convergence worry. The annual figure is nominal (× 12), as Chinese lenders quote
年化利率 by IRR; the effective annual rate would be ``(1 + i)^12 − 1``.
"""

from decimal import ROUND_HALF_UP, Decimal

_PLACES = Decimal("0.0001")


def _present_value(payments_fen: list[int], monthly: float) -> float:
    value = 0.0
    factor = 1.0
    for amount in payments_fen:
        factor /= 1.0 + monthly
        value += amount * factor
    return value


def monthly_rate_of_flows(received_fen: int, payments_fen: list[int]) -> float:
    """The monthly IRR; 0 when the payments add up to what was received, negative when
    they add up to less."""
    if received_fen <= 0 or not payments_fen:
        raise ValueError("a loan receives a positive amount and repays it")
    total = sum(payments_fen)
    if total == received_fen:
        return 0.0
    low, high = (0.0, 1.0) if total > received_fen else (-0.5, 0.0)
    for _step in range(200):
        middle = (low + high) / 2
        if _present_value(payments_fen, middle) > received_fen:
            low = middle
        else:
            high = middle
        if high - low < 1e-15:
            break
    return (low + high) / 2


def annual_rate_of_flows(received_fen: int, payments_fen: list[int]) -> Decimal:
    """The APR, rounded to four places (0.0725 is 7.25 %)."""
    monthly = monthly_rate_of_flows(received_fen, payments_fen)
    return (Decimal(repr(monthly)) * 12).quantize(_PLACES, rounding=ROUND_HALF_UP) + 0
