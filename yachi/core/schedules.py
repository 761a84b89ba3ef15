"""Periodic jobs at clinic time.

Huey's consumer checks periodic jobs against UTC; a clinic means 10:05 in Shanghai,
not 10:05 in London. ``at_clinic_time`` translates before matching.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from huey import crontab


def at_clinic_time(*, minute: str = "*", hour: str = "*"):
    matches = crontab(minute=minute, hour=hour)

    def validate(moment: datetime) -> bool:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        local = moment.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)
        return matches(local)

    return validate
