"""Bookings counted for Prometheus as they commit (ADR 0041): the rate of
``yachi_bookings_total`` over a minute is the bookings per minute, summed over processes
and instances."""

from yachi.booking.events import AppointmentBooked
from yachi.core.events import subscribe
from yachi.core.metrics import counter

BOOKINGS = counter("yachi_bookings", "Appointments booked (committed)")


@subscribe(AppointmentBooked)
def count_booking(event: AppointmentBooked) -> None:
    BOOKINGS.inc()
