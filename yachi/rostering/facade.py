"""What other contexts may use of the roster.

The demand forecast (ADR 0054): ``demand_forecast(clinic_ids=, first_day=, days=)`` returns
``DemandForecast`` values, minutes per (clinic, skill, date, half-day), for the optimizer
to plan against; booking feeds it, and the roster proposals' urgent share, through one
read, ``register_booking_history``. The clinic's
calendar as the forecast reads it: ``clinic_days`` (open or closed, make-up working days,
public holidays, school holidays) and ``school_holidays``.
"""

from yachi.rostering.calendar.selectors import clinic_days, school_holidays
from yachi.rostering.changes import register_booked_visits
from yachi.rostering.events import RosterChanged
from yachi.rostering.forecast.history import register_booking_history
from yachi.rostering.forecast.model import HALF_DAYS, Day
from yachi.rostering.forecast.selectors import DemandForecast, demand_forecast
from yachi.rostering.proposals.sources import (
    VisitMoves,
    register_booking_hold,
    register_visit_moves,
)
from yachi.rostering.reports import working_minutes_of_clinics
from yachi.rostering.selectors import working_intervals

__all__ = [
    "HALF_DAYS",
    "Day",
    "DemandForecast",
    "RosterChanged",
    "VisitMoves",
    "clinic_days",
    "demand_forecast",
    "register_booked_visits",
    "register_booking_history",
    "register_booking_hold",
    "register_visit_moves",
    "school_holidays",
    "working_intervals",
    "working_minutes_of_clinics",
]
