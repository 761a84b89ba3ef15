"""How clinical follows booking: a completed appointment completes the plan procedures
booked at it (ADR 0063)."""

from yachi.booking.facade import AppointmentStatus, AppointmentStatusChanged
from yachi.clinical import services
from yachi.core.events import subscribe


@subscribe(AppointmentStatusChanged)
def procedures_done_when_their_visit_is(event: AppointmentStatusChanged) -> None:
    if event.status == AppointmentStatus.COMPLETED:
        services.plan_items_done_at_visit(
            appointment_id=event.appointment_id, actor_id=event.actor_id
        )
    elif event.status in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW):
        # The procedure was not done: it waits to be booked again.
        services.plan_items_unbooked(appointment_id=event.appointment_id)
