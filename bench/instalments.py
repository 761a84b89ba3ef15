"""The instalment schedule's pure core: schedules (with their APR) computed per second,
for each term and method, interest-free and at 7.99 %.

    .venv/bin/python bench/instalments.py
"""

import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from yachi.financing.amortisation import EQUAL_PAYMENT, EQUAL_PRINCIPAL, schedule


def per_second(work, *, seconds: float = 1.0) -> float:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        work()
        count += 1
    return count / (time.perf_counter() - started)


def main() -> None:
    print("schedules per second (principal ¥36,800, start 2027-01-31), with the APR by IRR")
    for months in (3, 6, 12, 24):
        for method in (EQUAL_PAYMENT, EQUAL_PRINCIPAL):
            for rate in (Decimal(0), Decimal("0.0799")):
                rate_of = per_second(
                    lambda months=months, method=method, rate=rate: schedule(
                        principal_fen=3_680_000,
                        months=months,
                        method=method,
                        annual_rate=rate,
                        start=date(2027, 1, 31),
                    )
                )
                print(f"  {months:>2} months  {method:<16} rate {rate:<6}  {rate_of:>9,.0f} /s")


if __name__ == "__main__":
    main()
