"""What other contexts may use of booking."""

from yachi.booking.access import access_appointment_by_id
from yachi.booking.choices import ACTIVE_STATUSES as ACTIVE_APPOINTMENT_STATUSES
from yachi.booking.choices import Channel as AppointmentChannel
from yachi.booking.choices import Status as AppointmentStatus
from yachi.booking.events import AppointmentStatusChanged
from yachi.booking.reminders.services import extra_reminder_send

# The managers' dashboards (CRM, ADR 0053).
from yachi.booking.reports import (
    AppointmentRow,
    appointments_between,
    appointments_by_pk,
    appointments_of_deposits,
    first_visits,
)
from yachi.booking.risk import (
    BookingFacts,
    NoShowRisk,
    no_show_risks,
    no_show_scorer_register,
    risks_attach,
)
from yachi.booking.selectors import (
    AppointmentFacts,
    VisitRow,
    appointment_by_pk,
    appointment_by_public_id,
    appointment_facts,
    appointment_rows,
    appointments_export,
    appointments_of_account,
    appointments_of_clinic_day,
    appointments_of_patient,
    bookable_starts,
    clinic_ids_visited_by,
    last_visits,
    patient_has_upcoming_appointments,
    patient_ids_seen_at,
    patients_seen_at,
    visit_rows,
)
from yachi.booking.services import (
    Booked,
    appointment_queue_step,
    appointments_book,
    appointments_cancel_upcoming,
)
from yachi.booking.vouchers.errors import VoucherNotRefundable
from yachi.booking.vouchers.selectors import (
    service_places_free,
    voucher_by_source,
    vouchers_by_sources,
)
from yachi.booking.vouchers.services import voucher_issue, voucher_withdraw

__all__ = [
    "ACTIVE_APPOINTMENT_STATUSES",
    "AppointmentChannel",
    "AppointmentFacts",
    "AppointmentRow",
    "AppointmentStatus",
    "AppointmentStatusChanged",
    "Booked",
    "BookingFacts",
    "NoShowRisk",
    "VisitRow",
    "VoucherNotRefundable",
    "access_appointment_by_id",
    "appointment_by_pk",
    "appointment_by_public_id",
    "appointment_facts",
    "appointment_queue_step",
    "appointment_rows",
    "appointments_between",
    "appointments_book",
    "appointments_by_pk",
    "appointments_cancel_upcoming",
    "appointments_export",
    "appointments_of_account",
    "appointments_of_clinic_day",
    "appointments_of_deposits",
    "appointments_of_patient",
    "bookable_starts",
    "clinic_ids_visited_by",
    "extra_reminder_send",
    "first_visits",
    "last_visits",
    "no_show_risks",
    "no_show_scorer_register",
    "patient_has_upcoming_appointments",
    "patient_ids_seen_at",
    "patients_seen_at",
    "risks_attach",
    "service_places_free",
    "visit_rows",
    "voucher_by_source",
    "voucher_issue",
    "voucher_withdraw",
    "vouchers_by_sources",
]
