"""Lays out the front desk's calendar: which block goes in which row and column.

Pure presentation arithmetic over appointments and working time; the view passes in
what the selectors returned and the template only places what comes out.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import ceil

from django.utils.translation import gettext_lazy

ROW_MINUTES = 15


@dataclass
class Block:
    appointment: object
    column: int
    row: int
    span: int


@dataclass
class Shade:
    column: int
    row: int
    span: int


@dataclass
class DayLayout:
    day: date
    columns: list
    rows: list[datetime]
    blocks: list[Block] = field(default_factory=list)
    working: list[Shade] = field(default_factory=list)


def _row_of(moment: datetime, first: datetime) -> int:
    return int((moment - first).total_seconds() // (ROW_MINUTES * 60))


def day_layout(*, day, zone, columns, key, appointments, working_by_column, default_hours=(8, 20)):
    """``columns`` are doctors or chairs; ``key(appointment)`` says whose column it is in."""
    start_hour, end_hour = default_hours
    moments = [a.start.astimezone(zone) for a in appointments]
    moments += [a.end.astimezone(zone) for a in appointments]
    for spans in working_by_column.values():
        for low, high in spans:
            moments += [low, high]
    same_day = [m for m in moments if m.date() == day]
    if same_day:
        start_hour = min(start_hour, min(m.hour for m in same_day))
        end_hour = max(end_hour, max(m.hour + (1 if m.minute else 0) for m in same_day))
    first = datetime.combine(day, time(start_hour), tzinfo=zone)
    last = datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=min(end_hour, 24))
    rows = []
    cursor = first
    while cursor < last:
        rows.append(cursor)
        cursor += timedelta(minutes=ROW_MINUTES)
    index = {column.pk: position for position, column in enumerate(columns)}
    layout = DayLayout(day=day, columns=columns, rows=rows)
    for appointment in appointments:
        column = index.get(key(appointment))
        if column is None:
            continue
        begin = max(appointment.start.astimezone(zone), first)
        end = min(appointment.end.astimezone(zone), last)
        if end <= begin:
            continue
        row = _row_of(begin, first)
        span = max(1, ceil((end - begin).total_seconds() / (ROW_MINUTES * 60)))
        layout.blocks.append(Block(appointment, column, row, span))
    for column_pk, spans in working_by_column.items():
        column = index.get(column_pk)
        if column is None:
            continue
        for low, high in spans:
            low, high = max(low, first), min(high, last)
            if high > low:
                span = ceil((high - low).total_seconds() / (ROW_MINUTES * 60))
                layout.working.append(Shade(column, _row_of(low, first), span))
    return layout


@dataclass(frozen=True)
class DayPart:
    key: str
    label: str
    until_hour: int


# 上午 / 下午 / 晚上, as a clinic's patients read the day.
DAY_PARTS = (
    DayPart("morning", gettext_lazy("Morning"), 12),
    DayPart("afternoon", gettext_lazy("Afternoon"), 18),
    DayPart("evening", gettext_lazy("Evening"), 24),
)


def by_day_part(items: list, *, moment, zone) -> list[tuple[DayPart, list]]:
    """``items`` (in time order) under morning, afternoon and evening by the local hour of
    ``moment(item)``; parts without any item are left out."""
    groups: dict[str, list] = {part.key: [] for part in DAY_PARTS}
    for item in items:
        hour = moment(item).astimezone(zone).hour
        part = next(p for p in DAY_PARTS if hour < p.until_hour)
        groups[part.key].append(item)
    return [(part, groups[part.key]) for part in DAY_PARTS if groups[part.key]]
