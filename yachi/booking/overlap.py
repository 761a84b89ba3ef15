"""Which appointments overlap a window, read so that the cost follows the window, not the history."""

from datetime import datetime, timedelta

from django.db import connections
from django.db.models import F, Func, QuerySet, Value

from yachi.clinics import facade as clinics

LONGEST_APPOINTMENT = timedelta(minutes=clinics.LONGEST_SERVICE_MINUTES)


def overlapping(queryset: QuerySet, low: datetime, high: datetime) -> QuerySet:
    """The appointments of ``queryset`` that overlap [low, high).

    ``start > low − LONGEST_APPOINTMENT`` changes no answer (an appointment lasts as long as
    its service, and clinics' check constraint bounds services), but it gives the
    ``(…, start)`` indexes a lower end: without it, ``start < high AND end > low`` reads every
    earlier appointment of the doctor or clinic before discarding it.
    """
    return queryset.filter(start__lt=high, start__gt=low - LONGEST_APPOINTMENT, end__gt=low)


class _Span(Func):
    """``tstzrange(low, high, '[)')``: the half-open range the exclusion constraints index."""

    function = "tstzrange"

    def __init__(self, low, high):
        from django.contrib.postgres.fields import DateTimeRangeField

        super().__init__(low, high, Value("[)"), output_field=DateTimeRangeField())


def clashing(queryset: QuerySet, low: datetime, high: datetime) -> QuerySet:
    """The active appointments of ``queryset`` (one doctor's, or chairs') that overlap
    [low, high), as the double-booking guard sees them.

    On PostgreSQL the test is the exclusion constraints' own, ``tstzrange(start, end,
    '[)') && tstzrange(low, high, '[)')`` over the active statuses, so their GiST
    indexes answer it from the window alone; SQLite reads the ``(…, start)`` indexes from
    the window's lower bound (``overlapping``).
    """
    if connections[queryset.db].vendor != "postgresql":
        return overlapping(queryset, low, high)
    return queryset.alias(_span=_Span(F("start"), F("end"))).filter(
        _span__overlap=_Span(Value(low), Value(high))
    )
