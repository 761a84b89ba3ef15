"""Mainland resident identity card numbers (居民身份证号码, GB 11643-1999)."""

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

from yachi.core.errors import InvalidInput

_FORMAT = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def normalize_id_number(raw: str) -> str:
    """18 characters, upper-case X, with a valid date of birth and check character."""
    number = re.sub(r"\s", "", raw or "").upper()
    invalid = InvalidInput(
        _("Enter a valid 18-digit resident ID number."), code="invalid_id_number"
    )
    if not _FORMAT.match(number):
        raise invalid
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise invalid from None
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != number[17]:
        raise invalid
    return number


def masked(number: str) -> str:
    """What screens show: region and last four, e.g. ``110101********123X``."""
    return f"{number[:6]}{'*' * 8}{number[-4:]}" if number else ""
