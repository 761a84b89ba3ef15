"""Short-lived login data does not outlive its use."""

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yachi.accounts import tokencache
from yachi.accounts.models import ApiToken, LoginFailure, SmsCode

SMS_CODES_KEPT = timedelta(days=1)  # the daily limit counts the last 24 hours
FAILURES_KEPT = timedelta(days=7)  # lockout looks back 15 minutes, addresses one hour
TOKENS_KEPT = timedelta(days=90)  # expired or revoked tokens, kept a while for support


@db_periodic_task(crontab(minute="41"))
def purge_spent_login_data() -> dict:
    now = timezone.now()
    codes, _ = SmsCode.objects.filter(created_at__lt=now - SMS_CODES_KEPT).delete()
    failures, _ = LoginFailure.objects.filter(created_at__lt=now - FAILURES_KEPT).delete()
    tokens, _ = ApiToken.objects.filter(expires_at__lt=now - TOKENS_KEPT).delete()
    return {"sms_codes": codes, "login_failures": failures, "tokens": tokens}


@db_periodic_task(crontab(minute="*"))
def record_token_uses() -> int:
    """Tokens' last uses, marked in Redis by the requests, written to their rows."""
    return tokencache.flush_uses()
