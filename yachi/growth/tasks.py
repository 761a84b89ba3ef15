from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yachi.core.schedules import at_clinic_time
from yachi.growth import expiry, services
from yachi.growth.articles import counters as article_counters


@db_periodic_task(crontab(minute="*/10"))
def expire_coupons() -> int:
    return services.coupons_expire()


@db_periodic_task(at_clinic_time(hour="2", minute="20"))
def expire_points() -> int:
    """Once a day: points whose lot's last day has passed expire through the ledger."""
    return expiry.points_expire()


@db_periodic_task(crontab(minute="*"))
def dissolve_unfilled_groups() -> int:
    """Every minute: group-buy groups not full in time are dissolved and refunded."""
    from yachi.growth.groupbuys.services import groups_dissolve_expired

    return groups_dissolve_expired()


def flush_article_counters() -> int:
    """Views and shares counted in Redis (or this process) into the articles' rows."""
    return article_counters.counters_flush()
