from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "yachi.booking"
    label = "booking"
    verbose_name = _("Booking")

    def ready(self):
        from yachi.booking import (
            deposits,
            facade,
            handlers,  # noqa: F401  (subscribes to other contexts' events)
            metrics,  # noqa: F401  (counts bookings as they commit)
            roster_visits,
        )
        from yachi.booking.history.selectors import receipt_visit
        from yachi.booking.selectors import appointment_labels
        from yachi.compliance.facade import register_object_labels
        from yachi.patients.facade import register_visits
        from yachi.payments.facade import Purpose, register_owner, register_receipt_visit
        from yachi.rostering.facade import register_booked_visits

        register_owner(
            Purpose.DEPOSIT,
            on_paid=deposits.on_paid,
            on_closed=deposits.on_closed,
            # No on_refunded: a refunded deposit belongs to a cancelled appointment.
        )
        # What patients knows of appointments (it stands beneath booking).
        register_visits(
            appointment_by_public_id=facade.appointment_by_public_id,
            appointments_export=facade.appointments_export,
            appointments_of_patient=facade.appointments_of_patient,
            clinic_ids_visited_by=facade.clinic_ids_visited_by,
            last_visits=facade.last_visits,
            patient_has_upcoming_appointments=facade.patient_has_upcoming_appointments,
            patients_seen_at=facade.patients_seen_at,
            appointments_cancel_upcoming=facade.appointments_cancel_upcoming,
        )
        register_object_labels("appointment", appointment_labels)
        # What a receipt says of the visit its bill was for (payments stands beneath booking).
        register_receipt_visit(receipt_visit)
        # Whom a roster change would touch (rostering stands beneath booking).
        register_booked_visits(roster_visits.booked_visits)
