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
            video_rooms,
        )
        from yachi.booking.history.selectors import receipt_visit
        from yachi.booking.selectors import appointment_labels
        from yachi.compliance.facade import register_object_labels
        from yachi.messaging.facade import register_video_appointments
        from yachi.patients.facade import register_visits
        from yachi.payments.facade import Purpose, register_owner, register_receipt_visit
        from yachi.rostering.facade import (
            VisitMoves,
            register_booked_visits,
            register_booking_history,
            register_booking_hold,
            register_visit_moves,
        )

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
        # What the demand forecast learns from and a roster proposal weighs as urgent (one
        # read; rostering stands beneath booking), what a proposal holds while it is
        # published, and how a sick day's visits are handed over or moved.
        register_booking_history(roster_visits.past_visits)
        register_booking_hold(roster_visits.bookings_hold)
        register_visit_moves(
            VisitMoves(
                hand_over=roster_visits.visits_hand_over,
                ask_to_move=roster_visits.visits_ask_to_move,
            )
        )
        # A confirmed group-buy's members get service vouchers (growth stands beneath).
        from yachi.growth.facade import GroupBuyVouchers, register_group_buy_vouchers

        register_group_buy_vouchers(
            GroupBuyVouchers(
                issue=facade.voucher_issue,
                withdraw=lambda *, source: facade.voucher_withdraw(source=source, strict=False),
            )
        )
        # Appointments shown as cards in conversations (messaging stands beneath booking).
        from yachi.booking import chat
        from yachi.messaging.facade import register_chat_appointments

        register_chat_appointments(card_of=chat.card_of, cards=chat.cards, upcoming=chat.upcoming)
        # The appointment behind a video consultation's room (messaging stands beneath booking).
        register_video_appointments(video_rooms.video_appointment)
