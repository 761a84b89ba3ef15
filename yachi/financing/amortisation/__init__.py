"""The instalment schedule, to the fen: pure Python, no Django (ADR 0066).

``schedule(...)`` splits a principal into monthly instalments by equal principal and
interest (等额本息) or equal principal (等额本金), places every rounding remainder by a
fixed rule so that the principals add up to the principal exactly, gives the due dates by
the month-end rule, and the annualised rate (APR) from the internal rate of return of
what the borrower receives and pays.
"""

from yachi.financing.amortisation.dates import due_dates
from yachi.financing.amortisation.rates import annual_rate_of_flows
from yachi.financing.amortisation.schedule import (
    EQUAL_PAYMENT,
    EQUAL_PRINCIPAL,
    METHODS,
    Instalment,
    Schedule,
    schedule,
)

__all__ = [
    "EQUAL_PAYMENT",
    "EQUAL_PRINCIPAL",
    "METHODS",
    "Instalment",
    "Schedule",
    "annual_rate_of_flows",
    "due_dates",
    "schedule",
]
