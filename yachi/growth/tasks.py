from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yachi.growth import services


@db_periodic_task(crontab(minute="*/10"))
def expire_coupons() -> int:
    return services.coupons_expire()
