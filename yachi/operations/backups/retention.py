"""Which archives retention keeps, without Django: the newest of each of the last N
days, ISO weeks and months that have one (as ``borg prune --keep-daily`` counts)."""

import re
from collections.abc import Iterable
from datetime import datetime, tzinfo

_STAMP = re.compile(r"yachi-backup-(\d{8}-\d{6})")


def made_at(name: str, zone: tzinfo) -> datetime | None:
    """When an archive was made, from its name (written in clinic time, ``zone``)."""
    match = _STAMP.match(name)
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=zone)
    except ValueError:
        return None


def kept(moments: Iterable[datetime], *, daily: int, weekly: int, monthly: int) -> set[datetime]:
    newest_first = sorted(set(moments), reverse=True)
    keep = set(newest_first[:1])
    periods = (
        (daily, lambda moment: moment.date()),
        (weekly, lambda moment: moment.isocalendar()[:2]),
        (monthly, lambda moment: (moment.year, moment.month)),
    )
    for count, period in periods:
        seen = set()
        for moment in newest_first:
            key = period(moment)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.add(key)
            keep.add(moment)
    return keep
