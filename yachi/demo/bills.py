"""Treatment bills of the demo: open ones for the first demo patients (a scaling at the
first clinic, to pay in the app with the 洁牙7折 coupon they hold, or at the desk), and the
paid bills of the first ten families' recent visits, each with its receipt in the app."""

from datetime import timedelta

from django.utils import timezone

from yachi.accounts.models import User
from yachi.booking.choices import Status
from yachi.booking.models import Appointment
from yachi.clinics.models import Service
from yachi.core.roles import ClinicRole, Role
from yachi.payments.bills import bill_create
from yachi.payments.choices import Method
from yachi.payments.models import Bill, PaymentIntent
from yachi.payments.services import payment_received

VISIT_BILL_FAMILIES = 10
VISIT_BILL_DAYS = 60


def build_bills(*, clinic) -> int:
    desk = (
        User.objects.filter(memberships__clinic=clinic, memberships__role=ClinicRole.FRONT_DESK)
        .order_by("pk")
        .first()
    )
    scaling = Service.objects.get(clinic=clinic, code="cleaning")
    people = User.objects.filter(role=Role.PATIENT).order_by("pk")[:3]
    for person in people:
        bill_create(
            actor=desk,
            clinic=clinic,
            payer=person,
            amount_fen=scaling.price_fen,
            description="",
            service=scaling,
        )
    _refund_awaiting_approval(clinic=clinic, desk=desk, payer=people[0])
    return len(people)


def _refund_awaiting_approval(*, clinic, desk, payer) -> None:
    """An implant paid by card, part of which the desk asked to refund: above the limit,
    it waits for the clinic manager on 退款审批."""
    from yachi.payments.approvals import refund_ask

    intent = bill_create(
        actor=desk,
        clinic=clinic,
        payer=payer,
        amount_fen=1_280_000,
        description="种植牙（含种植体）",
    )
    payment_received(
        method=Method.CARD,
        out_trade_no=intent.out_trade_no,
        amount_fen=intent.amount_fen,
        recorded_by=desk,
        source="front_desk",
    )
    intent.refresh_from_db()
    refund_ask(actor=desk, intent=intent, amount_fen=300_000, reason="改用国产种植体，退差价")


def build_visit_bills(*, rng) -> int:
    """Each recent completed visit of the first families billed at its price and paid at
    the desk when it ended; the latest visit of the first family is left to pay in the app."""
    owners = list(User.objects.filter(role=Role.PATIENT).order_by("pk")[:VISIT_BILL_FAMILIES])
    since = timezone.now() - timedelta(days=VISIT_BILL_DAYS)
    visits = list(
        Appointment.objects.filter(
            patient__account__owner__in=owners,
            status=Status.COMPLETED,
            start__gte=since,
            price_fen__gt=0,
        )
        .select_related("clinic", "service", "patient__account")
        .order_by("start")
    )
    desks = {}
    first_owner_latest = max(
        (v for v in visits if v.patient.account.owner_id == owners[0].pk),
        key=lambda v: v.start,
        default=None,
    )
    for visit in visits:
        if visit.clinic_id not in desks:
            desks[visit.clinic_id] = (
                User.objects.filter(
                    memberships__clinic=visit.clinic, memberships__role=ClinicRole.FRONT_DESK
                )
                .order_by("pk")
                .first()
            )
        desk = desks[visit.clinic_id]
        intent = bill_create(
            actor=desk,
            clinic=visit.clinic,
            payer=visit.patient.account.owner,
            amount_fen=visit.price_fen,
            description="",
            service=visit.service,
            appointment=visit,
        )
        # Billed when the visit ended, as the desk would have.
        Bill.objects.filter(appointment=visit).update(created_at=visit.end)
        PaymentIntent.objects.filter(pk=intent.pk).update(created_at=visit.end)
        if visit is first_owner_latest:
            continue
        payment_received(
            method=rng.choice([Method.CASH, Method.CARD]),
            out_trade_no=intent.out_trade_no,
            amount_fen=intent.amount_fen,
            paid_at=visit.end + timedelta(minutes=rng.randint(2, 15)),
            recorded_by=desk,
            source="front_desk",
        )
    return len(visits)
