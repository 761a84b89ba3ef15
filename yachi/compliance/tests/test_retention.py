from datetime import timedelta

import pytest
from django.utils import timezone

from yachi.accounts.models import LoginFailure, SmsCode
from yachi.accounts.tasks import purge_spent_login_data
from yachi.compliance.audit import audit_record, audit_verify
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.compliance.tasks import purge_expired_audit_entries

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_nightly_job_purges_only_entries_past_retention(settings):
    settings.YACHI_AUDIT_RETENTION_DAYS = 200
    for days in (400, 250, 199, 0):
        audit_record(action=AuditAction.LOGIN, at=timezone.now() - timedelta(days=days))
    assert purge_expired_audit_entries.call_local() == 2
    ages = sorted(
        (timezone.now() - e.created_at).days
        for e in AuditEntry.objects.exclude(action="audit_purged")
    )
    assert ages == [0, 199]
    assert audit_verify().intact


def test_spent_codes_and_old_failures_are_deleted():
    old = timezone.now() - timedelta(days=8)
    SmsCode.objects.create(phone="13800000001", digest="x", created_at=old, expires_at=old)
    SmsCode.objects.create(phone="13800000002", digest="y", expires_at=timezone.now())
    LoginFailure.objects.create(kind="password", phone_key="k", created_at=old)
    result = purge_spent_login_data.call_local()
    assert result["sms_codes"] == 1 and result["login_failures"] == 1
    assert SmsCode.objects.count() == 1
