import logging
from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yachi.core.schedules import at_clinic_time
from yachi.payments import gateway, reconciliation, services
from yachi.payments.choices import ONLINE_METHODS, RefundStatus
from yachi.payments.errors import StatementNotAvailable
from yachi.payments.models import Refund
from yachi.payments.providers.base import ProviderUnavailable

logger = logging.getLogger(__name__)


@db_task(retries=5, retry_delay=30)
def refund_execute(refund_id: int) -> None:
    gateway.refund_send(refund_id=refund_id)


@db_periodic_task(crontab(minute="*"))
def close_expired_payments() -> int:
    return services.intents_close_expired()


@db_periodic_task(crontab(minute="*"))
def settle_paid_payments() -> int:
    return services.intents_settle_pending()


@db_periodic_task(crontab(minute="*/10"))
def retry_pending_refunds() -> int:
    stale = timezone.now() - timedelta(minutes=10)
    ids = Refund.objects.filter(status=RefundStatus.PENDING, updated_at__lt=stale).values_list(
        "pk", flat=True
    )
    for refund_id in ids:
        try:
            gateway.refund_send(refund_id=refund_id)
        except ProviderUnavailable:
            break
    return len(ids)


# WeChat Pay and Alipay make the day's statement after 9:00 the next morning.
@db_periodic_task(at_clinic_time(hour="10", minute="30"))
def reconcile_yesterday() -> int:
    """Each provider's statement of yesterday against the ledger; a provider without a
    statement yet is logged and left for a manager to run from the console."""
    yesterday = timezone.localdate() - timedelta(days=1)
    found = 0
    for method in ONLINE_METHODS:
        if method not in gateway.available_methods():
            continue
        try:
            found += len(reconciliation.reconcile(day=yesterday, method=method).findings)
        except StatementNotAvailable as exc:
            logger.warning("reconciliation of %s %s not run: %s", method, yesterday, exc.message)
    return found
