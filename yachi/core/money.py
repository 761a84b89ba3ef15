"""Money is kept as integer fen (0.01 CNY); yuan appear only at the edges."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN_PER_YUAN = 100


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def yuan_to_fen(yuan: Decimal | str | int) -> int:
    return int((Decimal(yuan) * FEN_PER_YUAN).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def format_yuan(fen: int) -> str:
    return f"¥{fen_to_yuan(fen):,.2f}"


def exact_fen(text: str) -> int | None:
    """The fen of a yuan amount written as text ("9.90"), or None when it is not a finite
    number with at most two decimals: never rounded to something nobody wrote."""
    try:
        fen = Decimal(text.strip()) * FEN_PER_YUAN
    except (InvalidOperation, AttributeError):
        return None
    if not fen.is_finite() or fen != fen.to_integral_value():
        return None
    return int(fen)
