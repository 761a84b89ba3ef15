"""What other contexts may use of booking."""

from yachi.booking.selectors import (
    appointment_by_public_id,
    appointments_export,
    appointments_of_patient,
    clinic_ids_visited_by,
    last_visits,
    patient_has_upcoming_appointments,
    patients_seen_at,
)
from yachi.booking.services import appointments_cancel_upcoming
from yachi.booking.vouchers.errors import VoucherNotRefundable
from yachi.booking.vouchers.selectors import (
    service_places_free,
    voucher_by_source,
    vouchers_by_sources,
)
from yachi.booking.vouchers.services import voucher_issue, voucher_withdraw

__all__ = [
    "VoucherNotRefundable",
    "appointment_by_public_id",
    "appointments_cancel_upcoming",
    "appointments_export",
    "appointments_of_patient",
    "clinic_ids_visited_by",
    "last_visits",
    "patient_has_upcoming_appointments",
    "patients_seen_at",
    "service_places_free",
    "voucher_by_source",
    "voucher_issue",
    "voucher_withdraw",
    "vouchers_by_sources",
]
