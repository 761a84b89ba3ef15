"""What other contexts may use of the roster."""

from yachi.rostering.changes import register_booked_visits
from yachi.rostering.events import RosterChanged
from yachi.rostering.selectors import working_intervals

__all__ = ["RosterChanged", "register_booked_visits", "working_intervals"]
