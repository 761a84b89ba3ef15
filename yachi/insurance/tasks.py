"""Insurance's periodic jobs: yesterday's reconciliation with the platform, claims polled."""

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="6", minute="20"))
def medical_insurance_reconcile_job():
    """Every morning: each designated clinic's yesterday against the platform's statement."""
    from yachi.insurance.medical.models import Institution
    from yachi.insurance.medical.platform import PlatformRefused, PlatformUnavailable, configured
    from yachi.insurance.medical.reconciliation import reconcile

    if not configured():
        return 0
    day = timezone.localdate() - timedelta(days=1)
    done = 0
    for institution in Institution.objects.select_related("clinic"):
        try:
            reconcile(clinic=institution.clinic, day=day)
            done += 1
        except (PlatformUnavailable, PlatformRefused):
            continue  # the next morning's run and the console's button try again
    return done


@db_periodic_task(crontab(minute="35"))
def claims_poll_job():
    from yachi.insurance.claims.insurer import configured
    from yachi.insurance.claims.services import claims_poll

    return claims_poll() if configured() else 0
