"""Periodic jobs of the mall's flash sales.

Huey's periodic tasks have minute resolution, so the job below is the safety net:
every minute it turns stream entries left by crashed requests into orders, releases
places whose payment closed, and makes Redis agree with the database (ADR 0013). The
request itself writes the order at once, so the stream is normally empty; a site that
wants crashed requests repaired within seconds also runs ``yachi flash-worker``.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from yachi.shop.flash.repair import flash_repair


@db_periodic_task(crontab(minute="*"))
@lock_task("flash-repair")
def repair_flash_sales() -> dict:
    return flash_repair()
