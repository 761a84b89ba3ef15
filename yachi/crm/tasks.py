"""CRM's jobs, gathered from its sub-packages so that Huey finds them."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yachi.crm.campaigns.tasks import campaign_send_job
from yachi.crm.noshow.tasks import score_upcoming_appointments, train_no_show_models
from yachi.crm.playbook.tasks import run_playbook
from yachi.crm.tags.services import tags_refresh

__all__ = [
    "campaign_send_job",
    "refresh_patient_tags",
    "run_playbook",
    "score_upcoming_appointments",
    "train_no_show_models",
]


@db_periodic_task(crontab(minute="20", hour="3"))
def refresh_patient_tags():
    """Every night at 03:20: every patient's computed tags again (ADR 0050)."""
    return tags_refresh().total_changed
