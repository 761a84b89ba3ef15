"""Money is kept as integer fen (0.01 CNY); yuan appear only at the edges."""

import re
from decimal import ROUND_HALF_UP, Decimal

FEN_PER_YUAN = 100
# The most a signed 64-bit column holds; no real amount comes near it.
MAX_FEN = 2**63 - 1

# Plain decimal yuan in ASCII digits: a sign, the yuan, and fen after the point (further
# zeros allowed). No exponent, grouping or underscores: nobody writes a price that way.
_YUAN_TEXT = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]{0,2})0*)?")


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def yuan_to_fen(yuan: Decimal | str | int) -> int:
    return int((Decimal(yuan) * FEN_PER_YUAN).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def format_yuan(fen: int) -> str:
    """¥1,234.50; a negative amount (a refund) as −¥60.00, the sign before the yuan sign."""
    sign = "−" if fen < 0 else ""
    return f"{sign}¥{fen_to_yuan(abs(fen)):,.2f}"


def exact_fen(text: str) -> int | None:
    """The fen of a yuan amount written as text ("9.90"), or None when it is not a plain
    number with at most two decimals that a ledger can hold: never rounded to something
    nobody wrote."""
    match = _YUAN_TEXT.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None or not any(match.groups()[1:]):  # no digit at all: "", ".", "-"
        return None
    sign, yuan_digits, fen_digits = match.groups()
    # Digits are counted before any arithmetic, so that a huge text costs nothing.
    yuan_digits = yuan_digits.lstrip("0")
    if len(yuan_digits) > len(str(MAX_FEN // FEN_PER_YUAN)):
        return None
    fen = int(yuan_digits or "0") * FEN_PER_YUAN + int((fen_digits or "").ljust(2, "0"))
    if fen > MAX_FEN:
        return None
    return -fen if sign == "-" else fen


def split_largest_remainder(total_fen: int, weights: list[int]) -> list[int]:
    """``total_fen`` split in proportion to ``weights`` (whole numbers, not all zero; all
    zero means equal), in whole fen that add up to ``total_fen`` exactly: each share is
    first rounded down, and the fen left over go one each to the largest remainders
    (ties to the earlier weight). Integer arithmetic throughout: no fen is made or lost
    by floating point."""
    if total_fen < 0 or not weights or any(w < 0 for w in weights):
        raise ValueError("a non-negative total and non-negative weights are needed")
    if not any(weights):
        weights = [1] * len(weights)
    whole = sum(weights)
    shares = [total_fen * w // whole for w in weights]
    remainders = [total_fen * w % whole for w in weights]
    left = total_fen - sum(shares)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        shares[index] += 1
    return shares
