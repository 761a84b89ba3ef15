"""How full a doctor's day is: one definition for the patient's grid, the front desk's
saturation grid and the calendar.

A day's share is the booked part of the doctor's bookable (rostered) time that day,
the part of today already past included, so a day does not look emptier or fuller as
the clock runs. Its level follows the two thresholds the legend states
(``YACHI_SATURATION_YELLOW`` and ``YACHI_SATURATION_RED``); a day without bookable time
is ``off`` (grey).
"""

from dataclasses import dataclass

from django.conf import settings

GREEN, YELLOW, RED, OFF = "green", "yellow", "red", "off"


@dataclass(frozen=True)
class Thresholds:
    yellow_from: float
    red_from: float


def thresholds() -> Thresholds:
    return Thresholds(settings.YACHI_SATURATION_YELLOW, settings.YACHI_SATURATION_RED)


def day_level(*, taken_share: float, working: bool, limits: Thresholds | None = None) -> str:
    """``green`` / ``yellow`` / ``red`` by the booked share, ``off`` without working time."""
    if not working:
        return OFF
    limits = limits or thresholds()
    if taken_share >= limits.red_from:
        return RED
    if taken_share >= limits.yellow_from:
        return YELLOW
    return GREEN
