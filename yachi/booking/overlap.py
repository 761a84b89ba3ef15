"""Which appointments overlap a window, read so that the cost follows the window, not the history."""

from datetime import datetime, timedelta

from django.db.models import QuerySet

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
