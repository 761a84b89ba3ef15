"""The range of dates and times Yachi accepts from outside, and the one way pages read them.

Python's calendar runs from year 1 to 9999, and a day at either end cannot be moved
into another time zone or stepped by a week without an ``OverflowError``. Every date
and moment that comes in (API fields, query strings, forms) must lie between
``EARLIEST_DAY`` and ``LATEST_DAY``: wide enough for any date of birth and any record a
clinic keeps, far enough inside Python's range that time-zone shifts and week or
month arithmetic never leave it. How far ahead a booking may be is the clinic's rule
and is checked by the booking services (ADR 0019).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yachi.core.errors import InvalidInput

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2200, 12, 31)


def day_in_range(day: date) -> date:
    """``day`` itself, or ``ValueError`` when it lies outside the accepted years."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(f"use a date from {EARLIEST_DAY} to {LATEST_DAY}")
    return day


def moment_in_range(moment: datetime) -> datetime:
    """``moment`` itself, or ``ValueError`` when its date lies outside the accepted years.

    Checked on the moment's own calendar date, which is never more than a day from
    its date in any other zone: both ends stay far from Python's limits.
    """
    day_in_range(moment.date())
    return moment


def day_from_text(text: str) -> date:
    """An ISO 8601 day (``2026-03-01``) in range, or ``ValueError``."""
    return day_in_range(date.fromisoformat(text))


def moment_from_text(text: str, *, zone: ZoneInfo | None = None) -> datetime:
    """An ISO 8601 moment in range, aware, or ``ValueError``.

    Without a UTC offset in the text, the moment is read in ``zone``; with no zone
    either, it is refused rather than guessed.
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        if zone is None:
            raise ValueError("give the time with its UTC offset, e.g. +08:00")
        moment = moment.replace(tzinfo=zone)
    return moment_in_range(moment)


def within_accepted_years(value: date | datetime) -> None:
    """A form field validator: Django forms (the pages', the admin's) get the same range."""
    try:
        day_in_range(value.date() if isinstance(value, datetime) else value)
    except ValueError:
        raise ValidationError(_range_text(), code="date_out_of_range") from None


def _range_text() -> str:
    return _("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_DAY.isoformat(),
        "latest": LATEST_DAY.isoformat(),
    }


def day_param(raw: str | None, *, default: date | None = None) -> date | None:
    """A day from a page's query string or form: ``default`` when left empty, otherwise a
    valid day in range, or ``InvalidInput`` with a message the page can show."""
    if raw is None or not raw.strip():
        return default
    try:
        return day_from_text(raw.strip())
    except ValueError:
        raise InvalidInput(_range_text(), code="invalid_date") from None


def moment_param(raw: str | None, *, zone: ZoneInfo | None = None) -> datetime:
    """A moment from a page's query string or form (a slot's start), or ``InvalidInput``."""
    try:
        return moment_from_text((raw or "").strip(), zone=zone)
    except ValueError:
        raise InvalidInput(_("Choose a time."), code="invalid_time") from None
