"""Bookable slots and the saturation level of one doctor's day; pure Python.

Everything is in aware datetimes of the clinic's time zone. A slot is offered when
the doctor is working and free for the whole service (times the party size, for
back-to-back family bookings) and, for each person's part, at least one chair of
the clinic is free (unless the service takes no chair: a video consultation).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from yachi.core.intervals import Interval, clip, overlaps, subtract, total_seconds


@dataclass(frozen=True)
class DayPlan:
    day: date
    working: list[Interval]
    doctor_busy: list[Interval]
    chairs_busy: list[list[Interval]]


@dataclass(frozen=True)
class DaySlots:
    day: date
    slots: list[Interval]
    working_seconds: float
    taken_seconds: float

    @property
    def taken_share(self) -> float:
        if self.working_seconds <= 0:
            return 1.0
        return min(1.0, self.taken_seconds / self.working_seconds)


def _align_up(moment: datetime, step: timedelta) -> datetime:
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    remainder = (moment - midnight) % step
    return moment if not remainder else moment + (step - remainder)


def _some_chair_free(chairs_busy: list[list[Interval]], span: Interval) -> bool:
    return any(not any(overlaps(span, busy) for busy in chair) for chair in chairs_busy)


def day_slots(
    plan: DayPlan,
    *,
    duration: timedelta,
    step: timedelta,
    party_size: int = 1,
    needs_chair: bool = True,
):
    block = duration * party_size
    slots: list[Interval] = []
    for free_start, free_end in subtract(plan.working, plan.doctor_busy):
        start = _align_up(free_start, step)
        while start + block <= free_end:
            parts = [(start + duration * i, start + duration * (i + 1)) for i in range(party_size)]
            if not needs_chair or all(_some_chair_free(plan.chairs_busy, part) for part in parts):
                slots.append((start, start + block))
            start += step
    taken = sum(total_seconds(clip(plan.doctor_busy, window)) for window in plan.working)
    return DaySlots(
        day=plan.day,
        slots=slots,
        working_seconds=total_seconds(plan.working),
        taken_seconds=taken,
    )
