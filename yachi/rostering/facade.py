"""What other contexts may use of the roster."""

from yachi.rostering.events import RosterChanged
from yachi.rostering.selectors import working_intervals

__all__ = ["RosterChanged", "working_intervals"]
