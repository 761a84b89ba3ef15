"""Deposits (定金): a patient pays part of a service online to hold the time.

A service with a deposit books as *pending*: the time is held, and becomes *booked*
when the deposit is paid. Unpaid, the payment closes after its window and the time is
freed. A deposit paid for a time we can no longer give — the hold was lost, the clinic
cancelled, the doctor fell ill — comes back with a compensation coupon and an apology
(``payments.compensation``); a patient who cancels in time gets it back in full.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yachi.booking import risk
from yachi.booking.choices import ACTIVE_STATUSES, Status
from yachi.booking.models import Appointment
from yachi.core.models import as_public_id
from yachi.core.money import format_yuan
from yachi.payments import facade as payments

logger = logging.getLogger(__name__)

PREFIX = "booking.appointment:"
NOT_PAID = gettext_lazy("Deposit not paid in time")


def reference_of(appointment: Appointment) -> str:
    return f"{PREFIX}{appointment.public_id}"


def _appointment_of(intent) -> Appointment:
    public_id = as_public_id(intent.reference.removeprefix(PREFIX))
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("service", "clinic", "patient__account")
        .get(public_id=public_id)
    )


def deposit_due(*, actor, service, prepaid: bool = False) -> bool:
    """Whether this booking may hold its time until a deposit is paid: a patient booking
    a service with a deposit does, and so may one whose no-show risk the clinic's policy
    asks a deposit for (``deposit_amount`` says for whom); the front desk and a visit paid
    in advance (a service voucher's) do not."""
    return bool(
        actor.is_patient
        and (service.deposit_fen or risk.deposit_policy_at(service.clinic_id))
        and not prepaid
    )


def deposit_amount(*, actor, service, patient, start, channel, now, prepaid: bool = False) -> int:
    """The deposit (fen) this person's booking waits for: the service's own, else the
    one the clinic's no-show policy asks for a high risk (``risk.py``), else none."""
    if not deposit_due(actor=actor, service=service, prepaid=prepaid):
        return 0
    if service.deposit_fen:
        return service.deposit_fen
    return risk.risk_deposit_fen(
        risk.BookingFacts(
            clinic_id=service.clinic_id,
            patient_id=patient.pk,
            service_id=service.pk,
            start=start,
            channel=channel,
            now=now,
        )
    )


def deposit_asked_fen(appointment: Appointment) -> int:
    """The deposit the appointment was booked with (rows from before the field: the
    service's)."""
    return appointment.deposit_fen or appointment.service.deposit_fen


def deposit_request(*, appointment: Appointment):
    """Ask the account holder for the deposit; the appointment waits for it."""
    service = appointment.service
    return payments.intent_create(
        purpose=payments.Purpose.DEPOSIT,
        reference=reference_of(appointment),
        amount_fen=deposit_asked_fen(appointment),
        description=_("Deposit: %(service)s") % {"service": service.display_name},
        payer=appointment.patient.account.owner,
        clinic=appointment.clinic,
    )


def deposit_of(appointment: Appointment):
    """The appointment's deposit intent (``deposits_attach`` may have fetched it already)."""
    if hasattr(appointment, "deposit_intent"):
        return appointment.deposit_intent
    return payments.intent_by_reference(reference_of(appointment))


def deposits_attach(appointments):
    """Fetch the deposits of many appointments in one query, as ``deposit_intent``."""
    appointments = list(appointments)
    found = payments.intents_by_reference(
        reference_of(a) for a in appointments if deposit_asked_fen(a)
    )
    for appointment in appointments:
        appointment.deposit_intent = found.get(reference_of(appointment))
    return appointments


def on_paid(intent) -> None:
    from yachi.booking.services import _transition

    appointment = _appointment_of(intent)
    if appointment.status == Status.PENDING:
        _transition(
            actor=None, appointment=appointment, to_status=Status.BOOKED, now=timezone.now()
        )
    elif appointment.status not in (*ACTIVE_STATUSES, Status.COMPLETED):
        raise payments.CannotFulfil(_("the time was no longer available when the deposit arrived"))


def on_closed(intent) -> None:
    from yachi.booking.services import _transition

    appointment = _appointment_of(intent)
    if appointment.status == Status.PENDING:
        _transition(
            actor=None,
            appointment=appointment,
            to_status=Status.CANCELLED,
            now=timezone.now(),
            extra={"cancel_reason": str(NOT_PAID)},
        )


def deposit_return(*, appointment: Appointment) -> None:
    """A cancelled appointment's paid deposit goes back: in full to a patient who
    cancelled, with compensation when the clinic did."""
    intent = deposit_of(appointment)
    if intent is None or not intent.refundable_fen:
        return
    cancelled_by = appointment.cancelled_by
    if cancelled_by is not None and cancelled_by.is_patient:
        with transaction.atomic():
            payments.refund_request(
                intent=intent,
                amount_fen=intent.refundable_fen,
                reason=_("Appointment cancelled"),
                key=f"RD{intent.out_trade_no[2:]}",
            )
        from yachi.messaging.facade import notify

        notify(
            recipient=intent.payer,
            kind="refund_issued",
            params={
                "amount": format_yuan(intent.amount_fen),
                "what": intent.description,
                "reason": _("Appointment cancelled"),
            },
            key=f"refund-issued:{intent.public_id}",
            object_type="payment",
            object_id=intent.public_id,
        )
        return
    with transaction.atomic():
        payments.compensate(
            intent=intent,
            reason=appointment.cancel_reason or _("the clinic had to cancel the appointment"),
        )


def deposits_return_missed(*, within: timedelta = timedelta(days=2)) -> int:
    """The sweep behind the event handler: no cancelled appointment keeps a paid deposit."""
    since = timezone.now() - within
    cancelled = deposits_attach(
        Appointment.objects.filter(
            Q(service__deposit_fen__gt=0) | Q(deposit_fen__gt=0),
            status=Status.CANCELLED,
            cancelled_at__gte=since,
        ).select_related("cancelled_by", "service", "clinic")
    )
    owed = [
        a for a in cancelled if a.deposit_intent is not None and a.deposit_intent.refundable_fen
    ]
    for appointment in owed:
        deposit_return(appointment=appointment)
    return len(owed)
