"""The front desk bills a visit from its panel in the calendar: the bill names the
appointment, so the patient finds it, and its receipt, with the visit."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.booking.access import access_appointment_by_id
from yachi.booking.choices import Status
from yachi.booking.vouchers.selectors import vouchers_of_appointments
from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError, InvalidInput, PermissionDenied
from yachi.core.money import exact_fen
from yachi.core.pages import staff_required
from yachi.payments import facade as payments

# A visit is billed once the patient has come.
BILLABLE = (Status.ARRIVED, Status.IN_TREATMENT, Status.COMPLETED)


def may_bill(user, appointment) -> bool:
    """The front desk and managers of the visit's clinic bill it."""
    return clinics.may(user, appointment.clinic_id, clinics.Duty.DESK)


@staff_required
@require_POST
def visit_bill(request, appointment_id):
    appointment = access_appointment_by_id(actor=request.user, appointment_id=appointment_id)
    if not may_bill(request.user, appointment):
        raise PermissionDenied(_("Payments are handled by the front desk and managers."))
    try:
        if appointment.status not in BILLABLE:
            raise InvalidInput(_("Only a visit the patient came to can be billed."))
        fen = exact_fen(request.POST.get("amount", ""))
        if fen is None or fen <= 0:
            raise InvalidInput(_("Enter the amount in yuan, e.g. 199.00."))
        # A voucher paid for the visit's treatment: the bill is for what else was done.
        voucher = vouchers_of_appointments([appointment.pk]).get(appointment.pk)
        prepaid = voucher is not None
        description = request.POST.get("description", "").strip()[:120]
        if prepaid and not description:
            raise InvalidInput(_("Say what else was done at this visit."))
        with transaction.atomic():
            intent = payments.bill_create(
                actor=request.user,
                clinic=appointment.clinic,
                payer=appointment.patient.account.owner,
                amount_fen=fen,
                description=description,
                service=None if prepaid else appointment.service,
                appointment=appointment,
            )
            if prepaid:
                # The treatment stays on the bill, at nothing: the voucher paid for it.
                payments.bill_line_add(
                    actor=request.user,
                    intent=intent,
                    kind=payments.LineKind.SERVICE,
                    item_code=appointment.service.code,
                    unit_fen=0,
                    description=_("%(service)s (paid by service voucher %(code)s)")
                    % {"service": appointment.service.name, "code": voucher.code},
                )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("console:calendar", clinic_id=appointment.clinic.public_id)
    if prepaid:
        messages.success(request, _("Bill created for what the voucher does not cover."))
    else:
        messages.success(
            request,
            _("Bill created with %(service)s as its first line. Add materials below if any.")
            % {"service": appointment.service.display_name},
        )
    return redirect("console:payment", payment_id=intent.public_id)
