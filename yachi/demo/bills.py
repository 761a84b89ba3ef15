"""Treatment bills of the demo: open ones for the first demo patients (a scaling and its
polishing at the first clinic, to pay in the app with the 洁牙7折 coupon they hold, or at
the desk), the paid bills of the first ten families' recent visits, each with the
materials its treatment used and its receipt in the app, made through the till's services,
and the rest of the year's bills, deposits and refunds written in bulk from the plan. The
chain's material catalogue is made here, with the first clinic's own price for the imported
resin."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from yachi.accounts.models import User
from yachi.booking.choices import Status
from yachi.booking.models import Appointment
from yachi.clinics.models import Material, Service
from yachi.core.roles import ClinicRole, Role
from yachi.demo.writing import bulk, front_desks, number
from yachi.payments.bills import LineDraft, bill_create
from yachi.payments.choices import (
    DESK_METHODS,
    EntryKind,
    IntentStatus,
    LineKind,
    Method,
    Purpose,
    RefundStatus,
)
from yachi.payments.models import Bill, BillLine, LedgerEntry, PaymentIntent, Refund
from yachi.payments.services import payment_received

VISIT_BILL_FAMILIES = 10
VISIT_BILL_DAYS = 60

MATERIALS = [
    # code, name, English name, unit, price in yuan
    ("polishing_paste", "抛光", "Polishing", "次", 30),
    ("composite_resin", "树脂材料", "Composite resin", "颗", 180),
    ("rubber_dam", "橡皮障", "Rubber dam", "个", 50),
    ("root_canal_filling", "根管充填材料", "Root canal filling material", "根", 260),
    ("articaine", "局部麻醉（阿替卡因）", "Local anaesthetic (articaine)", "支", 60),
    ("absorbable_suture", "可吸收缝合线", "Absorbable suture", "根", 80),
]
# What each treatment uses, by chance: (material, the most of it, how often).
USES = {
    "cleaning": [("polishing_paste", 1, 0.8)],
    "filling": [("composite_resin", 2, 1.0), ("articaine", 1, 0.3)],
    "root_canal": [
        ("articaine", 1, 0.9),
        ("rubber_dam", 1, 1.0),
        ("root_canal_filling", 3, 1.0),
    ],
    "wisdom_tooth_extraction": [("articaine", 2, 1.0), ("absorbable_suture", 1, 0.7)],
    "emergency": [("articaine", 1, 0.4)],
}


def build_materials(*, chain, dearer_at=None) -> None:
    """The chain's materials; ``dearer_at`` uses an imported resin, at its own price."""
    for code, name, name_en, unit, yuan in MATERIALS:
        Material.objects.get_or_create(
            chain=chain,
            clinic=None,
            code=code,
            defaults=dict(name=name, name_en=name_en, unit=unit, price_fen=yuan * 100),
        )
    if dearer_at is None:
        return
    Material.objects.get_or_create(
        chain=chain,
        clinic=dearer_at,
        code="composite_resin",
        defaults=dict(name="进口树脂材料", name_en="Imported composite resin", unit="颗",
                      price_fen=26000),
    )  # fmt: skip


def _visit_lines(visit, rng) -> list[LineDraft]:
    lines = [LineDraft(kind="service", item_code=visit.service.code, unit_fen=visit.price_fen)]
    for code, most, chance in USES.get(visit.service.code, []):
        if rng.random() < chance:
            lines.append(LineDraft(kind="material", item_code=code, quantity=rng.randint(1, most)))
    return lines


def build_bills(*, clinic) -> int:
    desk = (
        User.objects.filter(memberships__clinic=clinic, memberships__role=ClinicRole.FRONT_DESK)
        .order_by("pk")
        .first()
    )
    build_materials(chain=clinic.chain, dearer_at=clinic)
    scaling = Service.objects.get(clinic=clinic, code="cleaning")
    people = User.objects.filter(role=Role.PATIENT).order_by("pk")[:3]
    for person in people:
        bill_create(
            actor=desk,
            clinic=clinic,
            payer=person,
            lines=[
                LineDraft(kind="service", item_code=scaling.code),
                LineDraft(kind="material", item_code="polishing_paste"),
            ],
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
            build_materials(chain=visit.clinic.chain)
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
            lines=_visit_lines(visit, rng),
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


@dataclass
class HistoryMoney:
    bills: int
    deposits: int
    refunds: int


def build_history_bills(*, plan, clinics, visits, owners) -> HistoryMoney:
    """The year's money for visits, as the plan has it, in bulk: a bill and its payment
    for each completed visit that costs something (a coupon taken off some), the deposits
    of treatments booked online (refunded when the visit was cancelled), and a few partial
    refunds the desk made. The first families' recent visits are left to build_visit_bills."""
    rng = random.Random(plan.seed + 1)
    desks = front_desks(clinics)
    coupon_ids = [c.public_id for c in plan.coupons]
    bills, intents, refunds = [], [], []
    for visit, appointment in zip(plan.visits, visits, strict=True):
        clinic = clinics[visit.clinic]
        desk = desks[clinic.pk]
        payer = owners[plan.people[visit.person].family]
        if visit.deposit is not None:
            deposit = visit.deposit
            intents.append(
                _intent(
                    rng,
                    deposit,
                    purpose=Purpose.DEPOSIT,
                    reference=f"booking.appointment:{visit.public_id}",
                    description=f"定金：{appointment.service.name}",
                    clinic=clinic,
                    payer=payer,
                )
            )
            if deposit.refund_fen:
                refunds.append((intents[-1], deposit, None))
        if visit.bill is None:
            continue
        bill = visit.bill
        bills.append(
            Bill(
                public_id=bill.public_id,
                clinic=clinic,
                payer=payer,
                created_by=desk,
                description=bill.description[:120],
                service_code=visit.service,
                list_fen=bill.list_fen,
                discount_fen=bill.discount_fen,
                coupon_id=coupon_ids[bill.coupon] if bill.coupon is not None else None,
                appointment=appointment,
                created_at=bill.payment.created_at,
                updated_at=bill.payment.paid_at or bill.payment.created_at,
            )
        )
        intents.append(
            _intent(
                rng,
                bill.payment,
                purpose=Purpose.BILL,
                reference=f"payments.bill:{bill.public_id}",
                description=bill.description,
                clinic=clinic,
                payer=payer,
            )
        )
        if bill.payment.refund_fen:
            refunds.append((intents[-1], bill.payment, desk))
    bulk(Bill, bills)
    bulk(BillLine, [_history_line(bill) for bill in bills])
    write_payments(rng, intents, refunds, desks)
    return HistoryMoney(len(bills), sum(1 for v in plan.visits if v.deposit), len(refunds))


def _history_line(bill: Bill) -> BillLine:
    """A planned bill is its visit's treatment, as the desk bills it; the coupon falls on it."""
    return BillLine(
        bill=bill,
        position=1,
        kind=LineKind.SERVICE,
        item_code=bill.service_code,
        description=bill.description,
        quantity=1,
        unit_fen=bill.list_fen,
        total_fen=bill.list_fen,
        discount_fen=bill.discount_fen,
        added_by=bill.created_by,
        created_at=bill.created_at,
    )


def _intent(rng, payment, *, purpose, reference, description, clinic, payer) -> PaymentIntent:
    if payment.refund_fen and payment.refund_fen >= payment.amount_fen:
        status = IntentStatus.REFUNDED
    elif payment.paid_at is not None:
        status = IntentStatus.PAID
    elif payment.closed_at is not None:
        status = IntentStatus.CLOSED
    else:
        status = IntentStatus.CREATED
    last = payment.refunded_at or payment.paid_at or payment.closed_at or payment.created_at
    return PaymentIntent(
        public_id=payment.public_id,
        purpose=purpose,
        reference=reference,
        description=description[:120],
        clinic=clinic,
        payer=payer,
        amount_fen=payment.amount_fen,
        refunded_fen=payment.refund_fen,
        status=status,
        method=payment.method,
        out_trade_no=number("YC", payment.created_at, rng),
        expires_at=payment.created_at + timedelta(days=settings.YACHI_BILL_DUE_DAYS),
        paid_at=payment.paid_at,
        closed_at=payment.closed_at,
        settled_at=payment.paid_at or payment.closed_at,
        created_at=payment.created_at,
        updated_at=last,
    )


def write_payments(rng, intents, refunds, desks) -> None:
    """Intents, their charges on the ledger, and their refunds with the entries that
    paid them out."""
    bulk(PaymentIntent, intents)
    entries = [
        LedgerEntry(
            intent=intent,
            kind=EntryKind.CHARGE,
            amount_fen=intent.amount_fen,
            method=intent.method,
            key=f"charge:{intent.out_trade_no}",
            recorded_by=desks.get(intent.clinic_id) if intent.method in DESK_METHODS else None,
            tendered_fen=_tendered(rng, intent.amount_fen)
            if intent.method == Method.CASH
            else None,
            created_at=intent.paid_at,
        )
        for intent in intents
        if intent.paid_at is not None
    ]
    rows = []
    for intent, payment, by in refunds:
        rows.append(
            Refund(
                intent=intent,
                out_refund_no=number("RF", payment.refunded_at, rng),
                amount_fen=payment.refund_fen,
                reason=payment.refund_reason,
                status=RefundStatus.SUCCEEDED,
                requested_by=by,
                completed_at=payment.refunded_at,
                created_at=payment.refunded_at - timedelta(minutes=rng.randint(1, 30)),
                updated_at=payment.refunded_at,
            )
        )
    bulk(Refund, rows)
    entries += [
        LedgerEntry(
            intent=refund.intent,
            kind=EntryKind.REFUND,
            amount_fen=-refund.amount_fen,
            method=refund.intent.method,
            key=f"refund:{refund.out_refund_no}",
            recorded_by=refund.requested_by,
            created_at=refund.completed_at,
        )
        for refund in rows
    ]
    LedgerEntry.objects.bulk_create(entries, batch_size=1000)


def _tendered(rng, amount_fen: int) -> int:
    """Cash handed over: the exact amount, or the next round note."""
    if rng.random() < 0.4:
        return amount_fen
    note = rng.choice([5000, 10000])
    return -(-amount_fen // note) * note
