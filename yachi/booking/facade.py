"""What other contexts may use of booking."""

from yachi.booking.selectors import patient_has_upcoming_appointments

__all__ = ["patient_has_upcoming_appointments"]
