from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yachi.core.schedules import at_clinic_time
from yachi.growth import expiry, services


@db_periodic_task(crontab(minute="*/10"))
def expire_coupons() -> int:
    return services.coupons_expire()


@db_periodic_task(at_clinic_time(hour="2", minute="20"))
def expire_points() -> int:
    """Once a day: points whose lot's last day has passed expire through the ledger."""
    return expiry.points_expire()
