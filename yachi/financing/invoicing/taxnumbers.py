"""The unified social credit code (统一社会信用代码, GB 32100-2015): a company buyer's
taxpayer number.

Eighteen characters from 0–9 and the capitals without I, O, S, V, Z; the last is a check
character: with the characters' values c₁…c₁₇ and weights wᵢ = 3^(i−1) mod 31, it is the
character of value 31 − (Σ cᵢwᵢ mod 31), 31 counting as 0.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_credit_code(value: str) -> bool:
    if len(value) != 18 or any(c not in ALPHABET for c in value):
        return False
    return check_character(value[:17]) == value[17]
