"""No-show risk's jobs: models trained each night, upcoming appointments scored hourly."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yachi.core.schedules import at_clinic_time
from yachi.crm.noshow import services


@db_periodic_task(at_clinic_time(hour="3", minute="40"))
def train_no_show_models() -> int:
    return len(services.models_train())


@db_periodic_task(crontab(minute="15"))
def score_upcoming_appointments() -> int:
    return services.scores_refresh()
