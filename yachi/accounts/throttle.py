"""Counting failed logins: lockout per phone number and limits per network address."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.accounts.models import LoginFailure
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


def check_address(ip: str | None) -> None:
    """An address that keeps failing is slowed down whatever numbers it tries."""
    if not ip:
        return
    hour_ago = timezone.now() - timedelta(hours=1)
    failures = LoginFailure.objects.filter(ip=ip, created_at__gt=hour_ago).count()
    if failures >= settings.YACHI_LOGIN_IP_HOURLY_FAILURES:
        raise RateLimited(
            _("Too many failed logins from this network. Please try again later."),
            code="address_rate_limited",
            retry_after=3600,
        )
