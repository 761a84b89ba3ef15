"""Mainland China mobile numbers, the login identifier of every user."""

import re

from django.utils.translation import gettext_lazy as _

from yachi.core.errors import InvalidInput

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(raw: str) -> str:
    """``+86 138-0000-0001`` → ``13800000001``; anything else is refused."""
    phone = re.sub(r"[\s-]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    if not _MOBILE.match(phone):
        raise InvalidInput(_("Enter an 11-digit mainland mobile number."), code="invalid_phone")
    return phone
