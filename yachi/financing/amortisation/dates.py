"""Due dates: the same day of each following month as the day the plan starts.

A month without that day (the 31st in April, the 29th–31st in February) falls due on its
last day; the next month goes back to the starting day, so dates never drift earlier
(start 31 January → 28/29 February, 31 March, 30 April, …).
"""

import calendar
from datetime import date


def month_day(year: int, month: int, day: int) -> date:
    """``day`` of that month, or the month's last day when it is shorter."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day, last))


def due_dates(start: date, months: int) -> list[date]:
    """The ``months`` due dates after ``start``: one, two, … months later."""
    found = []
    for step in range(1, months + 1):
        index = start.month - 1 + step
        found.append(month_day(start.year + index // 12, index % 12 + 1, start.day))
    return found
