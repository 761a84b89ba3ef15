"""The only way a request reaches a payment: the payer, or staff of its clinic."""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.payments.models import PaymentIntent


def _not_found() -> NotFound:
    return NotFound(_("Payment not found."), code="payment_not_found")


def access_payment_by_id(*, actor, payment_id, payer_only: bool = False) -> PaymentIntent:
    """``payer_only`` for what only the payer may do (pay it), not staff of the clinic."""
    public_id = as_public_id(payment_id)
    intent = (
        PaymentIntent.objects.select_related("clinic", "payer").filter(public_id=public_id).first()
        if public_id
        else None
    )
    if intent is None:
        raise _not_found()
    if actor.is_patient or payer_only:
        if intent.payer_id != actor.pk:
            raise _not_found()
        return intent
    if not actor.is_clinic_staff:
        raise _not_found()
    allowed = clinics.staff_clinic_ids(actor)
    if allowed is not None and intent.clinic_id not in allowed:
        raise _not_found()
    return intent
