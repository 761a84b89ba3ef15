"""The only ways a request reaches a bill's insurance or a settlement: staff of the bill's
clinic with the front desk's duty. Anyone else is told "not found" (patients) or refused
(staff without the duty)."""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.insurance.medical.models import Settlement
from yachi.payments import facade as payments


def _desk(actor, clinic) -> None:
    clinics.require(
        actor,
        clinic,
        clinics.Duty.DESK,
        _("Medical-insurance settlement is done by the front desk and managers."),
    )


def access_bill_for_insurance(*, actor, payment_id):
    """The bill's payment, for the front desk of its clinic."""
    if not getattr(actor, "is_clinic_staff", False):
        raise NotFound(_("Payment not found."), code="payment_not_found")
    intent = payments.access_payment_by_id(actor=actor, payment_id=payment_id)
    _desk(actor, intent.clinic)
    return intent


def access_settlement_by_id(*, actor, settlement_id) -> Settlement:
    missing = NotFound(_("Settlement not found."), code="settlement_not_found")
    public_id = as_public_id(settlement_id)
    if public_id is None or not getattr(actor, "is_clinic_staff", False):
        raise missing
    settlement = (
        Settlement.objects.select_related("clinic", "payment", "share_payment")
        .filter(public_id=public_id)
        .first()
    )
    if settlement is None:
        raise missing
    allowed = clinics.staff_clinic_ids(actor)
    if allowed is not None and settlement.clinic_id not in allowed:
        raise missing
    _desk(actor, settlement.clinic)
    return settlement
