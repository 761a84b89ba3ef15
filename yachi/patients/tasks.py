from huey.contrib.djhuey import db_periodic_task

from yachi.core.schedules import at_clinic_time
from yachi.patients.reminders import send_child_milestones


@db_periodic_task(at_clinic_time(hour="10", minute="5"))
def child_milestone_reminders() -> int:
    """Every morning, in the clinic's day time."""
    return send_child_milestones()
