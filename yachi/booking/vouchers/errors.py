from django.utils.translation import gettext_lazy as _

from yachi.core.errors import Conflict, InvalidInput, NotFound


class VoucherNotFound(NotFound):
    code = "voucher_not_found"
    default_message = _("Voucher not found.")


class VoucherNotUsable(Conflict):
    code = "voucher_not_usable"
    default_message = _("This voucher can no longer be used to book.")


class VoucherNotRefundable(Conflict):
    code = "voucher_not_refundable"
    default_message = _(
        "This voucher has been booked or used: cancel the appointment first, or ask the clinic."
    )


class VoucherNotForPatient(InvalidInput):
    code = "voucher_not_for_patient"
    default_message = _("This voucher is for another person.")


class VoucherExpiresFirst(InvalidInput):
    code = "voucher_expires_first"
    default_message = _("Choose a time before the voucher expires.")
