"""What a coupon takes off an order: pure arithmetic on integer fen, no Django.

``discount`` answers a number or the reason the coupon does not fit; the services
turn reasons into typed errors.
"""

from collections.abc import Sequence
from dataclasses import dataclass

PRODUCT = "product"
SERVICE = "service"
LINE_KINDS = (PRODUCT, SERVICE)

NOT_APPLICABLE = "not_applicable"
MIN_SPEND_NOT_MET = "min_spend_not_met"


@dataclass(frozen=True)
class QuoteLine:
    """One line of an order as another context sees it: items are plain codes."""

    kind: str  # "product" or "service"
    code: str
    unit_price_fen: int
    quantity: int


@dataclass(frozen=True)
class Terms:
    """The parts of a coupon template that decide its discount."""

    kind: str  # fixed_amount, percentage, free_item
    applies_to: str  # any, services, products
    item_codes: tuple[str, ...] = ()
    amount_off_fen: int = 0
    pay_percent: int | None = None
    min_spend_fen: int = 0


def valid_line(line: QuoteLine) -> bool:
    return (
        line.kind in LINE_KINDS
        and isinstance(line.code, str)
        and bool(line.code)
        and isinstance(line.unit_price_fen, int)
        and isinstance(line.quantity, int)
        and line.unit_price_fen >= 0
        and line.quantity >= 1
    )


def applicable_lines(terms: Terms, lines: Sequence[QuoteLine]) -> list[QuoteLine]:
    if terms.applies_to == "any":
        return list(lines)
    wanted = SERVICE if terms.applies_to == "services" else PRODUCT
    codes = set(terms.item_codes)
    return [line for line in lines if line.kind == wanted and line.code in codes]


def discount(terms: Terms, lines: Sequence[QuoteLine]) -> int | str:
    """Fen off the order, never more than the applicable amount; or a reason string.

    The minimum spend counts only what the coupon applies to (满200减30 on care
    products needs 200 of care products). A percentage rounds what the patient pays
    up to the fen, so the discount is never more than the percentage. A free item is
    one unit of the dearest applicable line.
    """
    chosen = applicable_lines(terms, lines)
    if not chosen:
        return NOT_APPLICABLE
    amount = sum(line.unit_price_fen * line.quantity for line in chosen)
    if amount < terms.min_spend_fen:
        return MIN_SPEND_NOT_MET
    if terms.kind == "fixed_amount":
        off = terms.amount_off_fen
    elif terms.kind == "percentage":
        percent = terms.pay_percent or 100
        payable = -(-amount * percent // 100)  # ceiling division
        off = amount - payable
    else:
        off = max(line.unit_price_fen for line in chosen)
    return max(0, min(off, amount))


def split(terms: Terms, lines: Sequence[QuoteLine], off: int) -> list[int]:
    """How ``off`` fen of the coupon fall on the lines, one share per line: nothing on a
    line the coupon does not apply to; a free item on the dearest applicable line; else
    in proportion to the applicable lines' amounts, the fen left over on the largest
    ones first. The shares add up to ``off`` and none is more than its line."""
    amounts = [line.unit_price_fen * line.quantity for line in lines]
    chosen = applicable_lines(terms, lines)
    fitting = [i for i, line in enumerate(lines) if any(line is c for c in chosen)]
    shares = [0] * len(lines)
    if not fitting or off <= 0:
        return shares
    if terms.kind == "free_item":
        dearest = max(fitting, key=lambda i: lines[i].unit_price_fen)
        shares[dearest] = min(off, amounts[dearest])
        return shares
    base = sum(amounts[i] for i in fitting)
    off = min(off, base)
    for i in fitting:
        shares[i] = off * amounts[i] // base if base else 0
    left = off - sum(shares)
    for i in sorted(fitting, key=lambda i: -amounts[i]):
        if left <= 0:
            break
        extra = min(left, amounts[i] - shares[i])
        shares[i] += extra
        left -= extra
    return shares
