"""Counting failed logins: lockout per phone number, and backoff per network address."""

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.accounts.models import LoginFailure, SmsCode
from yachi.compliance.facade import blind_index
from yachi.core.errors import DomainError, RateLimited


class AccountLocked(DomainError):
    code = "account_locked"
    status = 429


def phone_key(phone: str) -> str:
    """The number's blind index: failures are counted without storing numbers."""
    return blind_index("phone", phone)


def record_failure(*, kind: str, phone: str, ip: str | None) -> None:
    LoginFailure.objects.create(kind=kind, phone_key=phone_key(phone), ip=ip)


def check_not_locked(*, phone: str, last_success: datetime | None) -> None:
    """Refuse while the number has too many recent failures since its last success.

    Numbers without an account are locked the same way, so the answer never tells
    whether a number belongs to someone.
    """
    window = timedelta(minutes=settings.YACHI_LOCKOUT_MINUTES)
    since = timezone.now() - window
    if last_success and last_success > since:
        since = last_success
    recent = list(
        LoginFailure.objects.filter(phone_key=phone_key(phone), created_at__gt=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: settings.YACHI_LOCKOUT_FAILURES]
    )
    if len(recent) >= settings.YACHI_LOCKOUT_FAILURES:
        unlock = recent[-1] + window
        minutes = max(1, int((unlock - timezone.now()).total_seconds() // 60) + 1)
        raise AccountLocked(
            _(
                "Too many failed attempts. This account is locked; please try again in "
                "%(minutes)s minutes."
            )
            % {"minutes": minutes},
            retry_after=minutes * 60,
        )


def backoff_seconds(*, count: int, allowance: int) -> int:
    """How long an address waits after its latest attempt: nothing while it has fewer
    than ``allowance`` in the hour, then 2, 4, 8 … seconds, at most the cap."""
    if count < allowance:
        return 0
    return min(settings.YACHI_IP_BACKOFF_MAX_SECONDS, 2 ** min(count - allowance + 1, 20))


def _address_wait(attempts, *, allowance: int) -> int:
    """Seconds left before the next attempt from an address (``attempts`` are its rows
    with a ``created_at``); 0 when it may try now."""
    now = timezone.now()
    recent = attempts.filter(created_at__gt=now - timedelta(hours=1)).aggregate(
        count=Count("pk"), last=Max("created_at")
    )
    if recent["last"] is None:
        return 0
    wait = backoff_seconds(count=recent["count"], allowance=allowance)
    return max(0, math.ceil((recent["last"] + timedelta(seconds=wait) - now).total_seconds()))


def check_address(ip: str | None) -> None:
    """An address that keeps failing waits longer before each attempt, whatever numbers
    it tries. It is slowed, never shut out: once the wait is over, a correct code or
    password from someone else behind the same address (a clinic's or a carrier's NAT)
    still logs in, while the guesser gets one try per wait."""
    if not ip:
        return
    wait = _address_wait(
        LoginFailure.objects.filter(ip=ip), allowance=settings.YACHI_LOGIN_IP_HOURLY_FAILURES
    )
    if wait:
        raise RateLimited(
            _(
                "Too many failed logins from this network. Please wait %(seconds)s seconds "
                "and try again."
            )
            % {"seconds": wait},
            code="address_rate_limited",
            retry_after=wait,
        )


def check_sms_address(ip: str | None) -> None:
    """The same slowing for login codes requested from one address for many numbers."""
    if not ip:
        return
    wait = _address_wait(
        SmsCode.objects.filter(ip=ip), allowance=settings.YACHI_SMS_IP_HOURLY_LIMIT
    )
    if wait:
        raise RateLimited(
            _(
                "Too many codes requested from this network. Please wait %(seconds)s "
                "seconds and try again."
            )
            % {"seconds": wait},
            code="address_rate_limited",
            retry_after=wait,
        )
