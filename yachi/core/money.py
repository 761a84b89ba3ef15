"""Money is kept as integer fen (0.01 CNY); yuan appear only at the edges."""

from decimal import ROUND_HALF_UP, Decimal

FEN_PER_YUAN = 100


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def yuan_to_fen(yuan: Decimal | str | int) -> int:
    return int((Decimal(yuan) * FEN_PER_YUAN).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def format_yuan(fen: int) -> str:
    return f"¥{fen_to_yuan(fen):,.2f}"
