"""Jobs: issuing invoices, the partner's repayment status and the reminders of instalments."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yachi.financing.choices import PlanStatus


@db_task(retries=3, retry_delay=60)
def issue_invoice(pk: int) -> None:
    from yachi.financing.invoicing.services import _issue
    from yachi.financing.models import Invoice

    invoice = Invoice.objects.select_related("original").filter(pk=pk).first()
    if invoice is not None:
        _issue(invoice)


@db_periodic_task(crontab(minute="*/15"))
def invoices_retry_job() -> None:
    from yachi.financing.invoicing.services import invoices_retry

    invoices_retry()


@db_periodic_task(crontab(hour="7", minute="10"))
def instalments_daily_job() -> None:
    """Each morning: what the partner was repaid, what is overdue, then the reminders."""
    from yachi.financing import services
    from yachi.financing.errors import ServiceUnavailable
    from yachi.financing.models import InstalmentPlan

    for plan in InstalmentPlan.objects.filter(status=PlanStatus.REPAYING):
        try:
            services.repayments_sync(plan=plan)
        except ServiceUnavailable:
            continue  # tomorrow again; the reminders below still go out
    services.reminders_plan()
