from django.conf import settings
from huey.contrib.djhuey import db_periodic_task

from yachi.core.schedules import at_clinic_time


@db_periodic_task(at_clinic_time(hour=str(settings.YACHI_PLAYBOOK_HOUR), minute="5"))
def run_playbook() -> int:
    """Once a day, in clinic hours: every active rule of every clinic (ADR 0052)."""
    from yachi.crm.playbook.services import playbook_run

    return sum(result.reached for result in playbook_run())
