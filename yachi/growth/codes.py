"""Coupon codes: random, unguessable and easy to read aloud at the front desk."""

import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: codes are read out and typed in by hand.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 10  # 25**10 ≈ 9.5e13 codes: guessing one that exists is hopeless


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(code: str) -> str:
    return "".join(code.split()).upper().replace("-", "")
